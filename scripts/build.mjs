#!/usr/bin/env node
// Bundles each entry point in src/bin/ into one self-contained ESM file dist/bin/<name>
// (no extension, executable). One file per program and no runtime dependencies keep the
// daemons' start-up close to bare `node -e 0` and make the package small.
import { build } from 'esbuild';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const srcBin = path.join(root, 'src', 'bin');
const outBin = path.join(root, 'dist', 'bin');

const entries = (await readdir(srcBin)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
await rm(path.join(root, 'dist'), { recursive: true, force: true });
await mkdir(outBin, { recursive: true });
const { version } = JSON.parse(await (await import('node:fs/promises')).readFile(path.join(root, 'package.json'), 'utf8'));

for (const name of entries) {
  const outfile = path.join(outBin, name);
  await build({
    entryPoints: [path.join(srcBin, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: '#!/usr/bin/env node' },
    define: { __SENTINELLA_VERSION__: JSON.stringify(version) },
    legalComments: 'none',
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
}
console.log(`built ${entries.map((e) => `dist/bin/${e}`).join(' ') || '(no entry points yet)'}`);
