// What both benchmark scripts share: the project root, their `--name value` options, and the
// two bin dirs they compare (overridable like the golden suite's: LEGACY_BIN_DIR, PORT_BIN_DIR).
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));

const args = process.argv.slice(2);

/** The value after `--name`, or the fallback. */
export function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

export function flag(name) {
  return args.includes(`--${name}`);
}

export function binDirs() {
  return {
    legacy: path.resolve(option('legacy-bin', process.env.LEGACY_BIN_DIR ?? path.join(root, 'build/legacy/bin'))),
    port: path.resolve(option('port-bin', process.env.PORT_BIN_DIR ?? path.join(root, 'dist/bin'))),
  };
}
