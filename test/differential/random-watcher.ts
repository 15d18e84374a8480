// Seeded inputs for the watcher's differential tests (jq-*, cksum, self-*): the same seed
// gives the same inputs on every run, so a difference found once can be found again.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../support/prng.ts';

/** The shared seeded PRNG (test/support/prng.ts) with the helpers these generators use. */
export function prng(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    chance: (p: number): boolean => next() < p,
  };
}

export interface Random {
  next(): number;
  /** 0 <= n < max */
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The text of legacy/watcher.sh between the line matching `from` and the line matching `to` (exclusive). */
export function legacySlice(from: RegExp, to: RegExp): string {
  const lines = fs.readFileSync(path.join(ROOT, 'legacy/watcher.sh'), 'utf8').split('\n');
  const start = lines.findIndex((l) => from.test(l));
  const end = lines.findIndex((l, i) => i > start && to.test(l));
  if (start < 0 || end < 0) throw new Error(`legacy/watcher.sh: no lines between ${from} and ${to}`);
  return lines.slice(start, end).join('\n');
}

/** Whether the real tools this test compares with are installed. */
export function have(...commands: string[]): boolean {
  return commands.every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
}

/** A child's exit status and output; killed after `timeoutMs` (status null then). */
export function run(
  command: string,
  args: readonly string[],
  input?: Buffer | string,
  timeoutMs = 120_000,
): Promise<{ status: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out), stderr: err });
    });
    child.stdin.end(input ?? '');
  });
}
