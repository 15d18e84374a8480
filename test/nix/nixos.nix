# The few NixOS options nix/module.nix defines outside its own namespace, declared as NixOS
# declares them (nixos/modules/system/boot/systemd.nix and systemd-unit-options), cut down to
# the unit fields the module sets. Defining any other field is an error ("does not exist"),
# as it would be a typo on NixOS too.
{ lib, ... }:

let
  inherit (lib) mkOption types;
  # NixOS' unitOption, less the list merging the module does not need.
  unitValue = types.oneOf [
    types.bool
    types.int
    types.str
    types.path
    (types.listOf types.str)
  ];
in
{
  options.systemd.services = mkOption {
    default = { };
    type = types.attrsOf (
      types.submodule {
        options = {
          after = mkOption {
            type = types.listOf types.str;
            default = [ ];
          };
          wantedBy = mkOption {
            type = types.listOf types.str;
            default = [ ];
          };
          environment = mkOption {
            type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
            default = { };
          };
          serviceConfig = mkOption {
            type = types.attrsOf unitValue;
            default = { };
          };
        };
      }
    );
  };
}
