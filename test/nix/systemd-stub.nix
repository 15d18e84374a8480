# The one NixOS option nix/module.nix defines outside its own namespace, declared the way the
# stand-in evaluator needs it (a freeform attribute set of units, merged attribute-wise).
{ lib, ... }:
{
  options.systemd.services = lib.mkOption {
    type = lib.types.attrsOf lib.types.anything;
    default = { };
  };
}
