# sentinèlla, the TypeScript port, as one Nix package.
#
# bin/ holds exactly `probe` and `watcher`, like the shell originals' package; `router` and
# `base64` are internal programs under libexec/sentinella. Each wrapper runs its bundle with
# Node 20 and puts libexec/sentinella, Node 20 and the two tools the port still runs first on
# PATH (the originals' wrapper does the same with its runtime inputs): `getent` (the watcher
# resolves peers exactly as `getent hosts` does; NixOS units do not have it on PATH) and
# coreutils' `df` (the probe's disk report).
#
# Dependencies come straight from package-lock.json (importNpmLock): no npmDepsHash to keep
# up to date. They are build-time only (esbuild, typescript...): the daemons are single
# bundled files that use Node's built-in modules and nothing else.
#
#   nix-build -E 'with import <nixpkgs> { }; callPackage ./nix/package.nix { }'
{
  lib,
  buildNpmPackage,
  importNpmLock,
  nodejs_20,
  makeWrapper,
  getent,
  coreutils,
}:

let
  packageJson = lib.importJSON ../package.json;

  # importNpmLock fetches every package from its `resolved` URL, but npm leaves `resolved` out
  # of package-lock.json for registry packages when `omit-lockfile-registry-resolved` is set
  # (as it is where this lock was made). Fill in npm's own default, the public registry's
  # tarball URL; `integrity` in the lock still pins every byte.
  lock = lib.importJSON ../package-lock.json;
  registryTarball =
    path: module:
    let
      name = module.name or (lib.last (lib.splitString "node_modules/" path));
      base = lib.last (lib.splitString "/" name);
    in
    "https://registry.npmjs.org/${name}/-/${base}-${module.version}.tgz";
  packageLock = lock // {
    packages = lib.mapAttrs (
      path: module:
      if path == "" || module ? resolved || module ? link || !(module ? version) then
        module
      else
        module // { resolved = registryTarball path module; }
    ) lock.packages;
  };
  libexec = "libexec/sentinella";
  runtimePath = lib.makeBinPath [
    nodejs_20
    getent
    coreutils
  ];
in
buildNpmPackage {
  pname = "sentinella";
  inherit (packageJson) version;

  # Only what the build reads: changes to tests, docs or legacy/ do not rebuild the package.
  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../package.json
      ../package-lock.json
      ../tsconfig.json
      ../scripts/build.mjs
      ../src
    ];
  };

  nodejs = nodejs_20;
  npmDeps = importNpmLock {
    npmRoot = ../.;
    inherit packageLock;
  };
  npmConfigHook = importNpmLock.npmConfigHook;
  # `npm run build`: esbuild bundles src/bin/<name>.ts into dist/bin/<name>.
  npmBuildScript = "build";

  nativeBuildInputs = [ makeWrapper ];

  # Not npm's own install (that would put all four programs, under their npm names, in bin/).
  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/${libexec} dist/bin/probe dist/bin/router dist/bin/watcher dist/bin/base64
    # The node flags of each bundle's shebang line (scripts/build.mjs NODE_FLAGS): the wrapper
    # runs node itself, so it repeats them. probe: a small young generation keeps its RSS
    # under load below 80 MB.
    makeWrapper ${nodejs_20}/bin/node $out/bin/probe \
      --add-flags "--max-semi-space-size=4 $out/${libexec}/probe" \
      --prefix PATH : $out/${libexec}:${runtimePath}
    makeWrapper ${nodejs_20}/bin/node $out/bin/watcher \
      --add-flags $out/${libexec}/watcher \
      --prefix PATH : $out/${libexec}:${runtimePath}
    runHook postInstall
  '';

  meta = {
    description = "sentinèlla: a tiny peer-to-peer uptime monitor (probe + watcher)";
    license = lib.licenses.mit;
    platforms = lib.platforms.linux;
    mainProgram = "watcher";
  };
}
