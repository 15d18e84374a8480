// What the three benchmark scripts share: the project root, their options, the two bin dirs
// they compare (overridable like the golden suite's: LEGACY_BIN_DIR, PORT_BIN_DIR), the line
// saying where figures were measured, markdown tables, the run of a script's own `--inner` half
// in a sandbox, and the writer of a BENCHMARKS.md section. Importing it registers tsx
// (./tsx.mjs), so a bench can then `await import()` the TypeScript of scripts/lib/ and src/.
import './tsx.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** `--name a,b,c` as a list; a value `valid` refuses is an error naming the option. */
export function list(name, fallback, valid = () => true) {
  const values = option(name, fallback).split(',').filter(Boolean);
  for (const v of values) if (!valid(v)) throw new Error(`--${name}: ${JSON.stringify(v)} is not valid`);
  return values;
}

export function binDirs() {
  return {
    legacy: path.resolve(option('legacy-bin', process.env.LEGACY_BIN_DIR ?? path.join(root, 'build/legacy/bin'))),
    port: path.resolve(option('port-bin', process.env.PORT_BIN_DIR ?? path.join(root, 'dist/bin'))),
  };
}

/** Where the figures were measured: `N cores (CPU model), Node vX`. */
export function machine() {
  return `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
}

/** A markdown table; `align` has one letter a column: `l`eft or `r`ight. */
export function table(headers, align, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const rule = `|${[...align].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/**
 * Runs `script --inner ...innerArgs` (the bench's own inner half) in private namespaces of its
 * own (scripts/lib/namespace.ts: lo only, private mounts), killed with its process group once
 * `boundMs` has passed (SIGTERM first when `graceMs` is given). Resolves with the first JSON
 * line it printed, or `{ error: 'no result' }`.
 */
export async function runInner(script, innerArgs, { boundMs, graceMs, namespaces, env = process.env }) {
  const { spawnInNamespaces } = await import('./namespace.ts');
  const { child, exit } = spawnInNamespaces([process.execPath, script, '--inner', ...innerArgs], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    boundMs,
    graceMs,
    namespaces,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await exit;
  const line = out.split('\n').find((l) => l.startsWith('{'));
  return line ? JSON.parse(line) : { error: 'no result' };
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Puts `body` as the `## <title>` section of BENCHMARKS.md, in place of the old one (and of
 * the sections titled `replaces`, which it supersedes), or at the end.
 */
export function writeSection(title, body, replaces = []) {
  const file = path.join(root, 'BENCHMARKS.md');
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = `## ${title}\n\n${body}`.trimEnd() + '\n';
  const re = new RegExp(`## (?:${[title, ...replaces].map(escape).join('|')})\\n[\\s\\S]*?(?=\\n## |$)`, 'g');
  let placed = false;
  text = text.replace(re, () => (placed ? '' : ((placed = true), section)));
  if (!placed) text = `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, `${text.replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}
