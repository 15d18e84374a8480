#!/usr/bin/env node
// The `npm pack` / `npm publish` hooks (package.json `prepack`, `postpack`).
//
// The repository's package.json builds dist/ in `prepare`, so that `npm ci` in a clone builds
// it (README). The packed package must not carry that script: npm lists it as an install
// script of the package on every install (and would run it for a directory dependency, where
// there is nothing to build from: no src/ is shipped). npm reads the manifest it packs from
// disk after `prepack`, so:
//   prepack:  build dist/, keep package.json's bytes in package.json.prepack, write
//             package.json without its install-time scripts;
//   postpack: put the bytes back.
// A pack that fails between the two (npm then skips postpack) leaves package.json.prepack
// behind; the next prepack puts it back first.
//
//   node scripts/pack.mjs prepack|postpack
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The scripts npm runs when it installs a package (npm docs, "scripts": life cycle). */
export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare'];

/** The manifest as packed: package.json's text without the install-time scripts. */
export function packedManifest(text) {
  const manifest = JSON.parse(text);
  for (const name of INSTALL_SCRIPTS) delete manifest.scripts?.[name];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function main(step) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const manifest = path.join(root, 'package.json');
  const kept = `${manifest}.prepack`;
  if (step === 'prepack') {
    if (existsSync(kept)) {
      renameSync(kept, manifest);
      console.error('pack: package.json put back from package.json.prepack (an earlier pack stopped half-way)');
    }
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(kept, text);
    writeFileSync(manifest, packedManifest(text));
  } else if (step === 'postpack') {
    if (existsSync(kept)) renameSync(kept, manifest);
  } else {
    console.error('usage: node scripts/pack.mjs prepack|postpack');
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main(process.argv[2]);
