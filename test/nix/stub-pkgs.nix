# A STAND-IN for the nixpkgs package set (only nixpkgs' lib is at hand, not its packages),
# just big enough to evaluate nix/package.nix and nix/module.nix with the real lib
# (test/nix/evaluate.nix). Derivations are plain attribute sets with an `outPath`;
# buildNpmPackage returns its arguments so the test can check what the package asks for.
{ lib }:

let
  fakeStorePath = name: "/nix/store/00000000000000000000000000000000-${name}";
  # A derivation the package only refers to: its name and store path.
  fakeDrv = name: {
    inherit name;
    outPath = fakeStorePath name;
  };
  pkgs = {
    inherit lib;
    callPackage =
      fn: overrides:
      let
        f = if builtins.isPath fn then import fn else fn;
      in
      f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // overrides);
    buildNpmPackage = args: fakeDrv "${args.pname}-${args.version}" // { buildNpmPackageArgs = args; };
    # nixpkgs' importNpmLock is a functor that also carries npmConfigHook.
    importNpmLock = {
      __functor =
        _self:
        {
          npmRoot,
          packageLock ? lib.importJSON (npmRoot + "/package-lock.json"),
          ...
        }:
        fakeDrv "npm-deps"
        // {
          npmRoot = toString npmRoot;
          inherit packageLock;
        };
      npmConfigHook = fakeDrv "import-npm-lock-config-hook";
    };
    nodejs_20 = fakeDrv "nodejs-20.20.0";
    getent = fakeDrv "getent-glibc-2.40";
    coreutils = fakeDrv "coreutils-9.5";
    makeWrapper = fakeDrv "make-wrapper-hook";
  };
in
pkgs
