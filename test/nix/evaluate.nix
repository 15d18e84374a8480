# Evaluates nix/module.nix with nixpkgs' real lib.evalModules, for one sample configuration.
# Used by nix.test.ts:
#   nix-instantiate --eval --strict --json test/nix/evaluate.nix \
#     --argstr libDir <nixpkgs>/lib --arg configuration '{ ... }'
# `configuration` is a NixOS-style module (attribute set or function). Around the module:
# nixos.nix (the NixOS options it sets) and stub-pkgs.nix (the packages package.nix asks for;
# nixpkgs' package set is not available here, only its lib).
{
  libDir,
  configuration ? { },
}:

let
  realLib = import (/. + libDir);
  # package.nix's source set is recorded, not computed: lib.fileset.toSource would copy the
  # files into the store, and needs builtins.readFileType (Nix 2.14; Debian 12 has 2.8). The
  # test checks which paths the package asks for.
  lib = realLib // {
    fileset = {
      unions = paths: paths;
      toSource = { root, fileset }: { inherit root; files = fileset; };
    };
  };
  pkgs = import ./stub-pkgs.nix { inherit lib; };
  evaluated = realLib.evalModules {
    modules = [
      { _module.args.pkgs = pkgs; }
      ./nixos.nix
      ../../nix/module.nix
      configuration
    ];
  };
  package = pkgs.callPackage ../../nix/package.nix { };
  args = package.buildNpmPackageArgs;
  ours = realLib.filter (option: realLib.take 1 option.loc == [ "hectic" ]) (
    realLib.collect realLib.isOption evaluated.options
  );
in
{
  units = evaluated.config.systemd.services;
  # How this lib describes the types of docs/behaviour.md §11 (the words change between releases).
  types = builtins.mapAttrs (_: type: type.description) {
    inherit (realLib.types) bool port int str;
    listOfStr = realLib.types.listOf realLib.types.str;
    nullOrStr = realLib.types.nullOr realLib.types.str;
    nullOrPath = realLib.types.nullOr realLib.types.path;
    nullOrUnsigned = realLib.types.nullOr realLib.types.ints.unsigned;
  };
  options = map (
    option:
    {
      loc = realLib.concatStringsSep "." option.loc;
      type = option.type.description;
    }
    // realLib.optionalAttrs (option ? default) { inherit (option) default; }
  ) ours;
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
    src = map toString args.src.files;
  };
}
