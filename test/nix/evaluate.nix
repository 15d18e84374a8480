# Evaluates nix/module.nix with one sample configuration, using the stand-ins for nixpkgs
# (stub-lib.nix, stub-pkgs.nix, eval-modules.nix). Used by nix.test.ts:
#   nix-instantiate --eval --strict --json test/nix/evaluate.nix --arg configuration '{ ... }'
# `configuration` is a NixOS-style module (attribute set or function).
{
  configuration ? { },
}:

let
  lib = import ./stub-lib.nix;
  pkgs = import ./stub-pkgs.nix { inherit lib; };
  evaluated = import ./eval-modules.nix {
    inherit lib pkgs;
    modules = [
      ./systemd-stub.nix
      ../../nix/module.nix
      configuration
    ];
  };
  package = pkgs.callPackage ../../nix/package.nix { };
  args = package.buildNpmPackageArgs;
in
{
  units = evaluated.config.systemd.services;
  options = map (option: option // { loc = lib.concatStringsSep "." option.loc; }) evaluated.options;
  package = {
    inherit (package) name;
    storePath = package.outPath; # not `outPath`: toJSON would turn the set into that string
    inherit (args)
      pname
      version
      npmBuildScript
      installPhase
      meta
      ;
    nodejs = args.nodejs.name;
    npmDeps = args.npmDeps.name;
    npmRoot = args.npmDeps.npmRoot;
    # What importNpmLock would fetch: lock path -> { resolved, integrity }.
    lockedPackages = builtins.mapAttrs (_: module: {
      resolved = module.resolved or null;
      integrity = module.integrity or null;
    }) args.npmDeps.packageLock.packages;
    npmConfigHook = args.npmConfigHook.name;
    nativeBuildInputs = map (input: input.name) args.nativeBuildInputs;
    src = args.src.files;
  };
}
