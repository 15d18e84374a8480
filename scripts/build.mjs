#!/usr/bin/env node
// Bundles each entry point in src/bin/ into one self-contained ESM file dist/bin/<name>
// (no extension, executable). One file per program and no runtime dependencies keep the
// daemons' start-up close to bare `node -e 0` and make the package small.
import { build } from 'esbuild';
import { chmod, mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const srcBin = path.join(root, 'src', 'bin');
const outBin = path.join(root, 'dist', 'bin');

// Node flags per program, put on the shebang line (`env -S`; nix/package.nix repeats them in
// its wrappers). probe: a smaller young generation keeps peak RSS under load below 80 MB
// (BENCHMARKS.md) at no measurable cost in req/s.
const NODE_FLAGS = { probe: '--max-semi-space-size=4' };

const entries = (await readdir(srcBin)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
await mkdir(outBin, { recursive: true });
const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

for (const name of entries) {
  // Written beside, then renamed: a test running dist/bin/<name> meanwhile never sees half a file.
  const outfile = path.join(outBin, name);
  const partial = `${outfile}.${process.pid}.partial`;
  await build({
    entryPoints: [path.join(srcBin, `${name}.ts`)],
    outfile: partial,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: NODE_FLAGS[name] ? `#!/usr/bin/env -S node ${NODE_FLAGS[name]}` : '#!/usr/bin/env node' },
    define: { __SENTINELLA_VERSION__: JSON.stringify(version) },
    legalComments: 'none',
    logLevel: 'warning',
  });
  await chmod(partial, 0o755);
  await rename(partial, outfile);
}
console.log(`built ${entries.map((e) => `dist/bin/${e}`).join(' ')}`);
