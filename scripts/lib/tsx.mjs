// Lets a plain `node scripts/<name>.mjs` (as package.json runs them) load the TypeScript of
// scripts/lib/ and src/: tsx's loader (a dev dependency, as in the tests), registered when this
// module is imported. Import this first, then the .ts modules with `await import(...)`: static
// imports are all resolved before any module runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
if (!existsSync(path.join(root, 'node_modules', 'tsx'))) {
  console.error(`${path.basename(process.argv[1] ?? 'script')}: run \`npm install\` (or \`npm ci\`) first: it uses the dev dependencies.`);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
