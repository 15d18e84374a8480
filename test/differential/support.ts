// Shared by the differential tests (test/differential/*.test.ts): the seed (test/support/prng.ts
// draws from it, so every run feeds the same generated inputs to the port and to the real
// tool), the originals' own lines, one-process batching helpers, and the line each piece prints
// for the closing note.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';

/** The seed every differential test starts from (change it to explore, keep it to reproduce). */
export const SEED = 0x5e17e11a;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The text of legacy/watcher.sh between the line matching `from` and the line matching `to` (exclusive). */
export function legacySlice(from: RegExp, to: RegExp): string {
  const lines = readFileSync(path.join(ROOT, 'legacy/watcher.sh'), 'utf8').split('\n');
  const start = lines.findIndex((l) => from.test(l));
  const end = lines.findIndex((l, i) => i > start && to.test(l));
  if (start < 0 || end < 0) throw new Error(`legacy/watcher.sh: no lines between ${from} and ${to}`);
  return lines.slice(start, end).join('\n');
}

/** Bytes of a latin1 string (one char code = one byte). */
export const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The edge cases, then generated inputs up to `count` more, drawn from SEED after `skip` draws. */
export function seededInputs<T>(edge: readonly T[], count: number, make: (rng: Prng) => T, skip = 0): T[] {
  const rng = new Prng(SEED);
  for (let i = 0; i < skip; i++) rng.next();
  const inputs = [...edge];
  while (inputs.length < edge.length + count) inputs.push(make(rng));
  return inputs;
}

/** Runs `script` over every input in one dash (one file each, see writeInputs); what it wrote to each `<file>.out`. */
export async function dashOutputs(prefix: string, script: string, inputs: readonly Buffer[]): Promise<Buffer[]> {
  return inTempDir(prefix, (dir) => {
    const files = writeInputs(dir, inputs);
    dash(script, files);
    return files.map((file) => readFileSync(`${file}.out`));
  });
}

/**
 * Runs `script` over every input in one dash (one file each, see writeInputs; the script prints
 * one record of NUL-ended fields per input, see records) and compares each record with the
 * port's fields for that input. Prints the figures under `piece`; returns the difference lines.
 */
export async function dashFieldDifferences(
  piece: string,
  script: string,
  inputs: readonly Buffer[],
  port: (input: Buffer, i: number) => readonly string[],
): Promise<string[]> {
  return inTempDir(piece.replace(/\W+/g, '-'), (dir) => {
    const got = records(dash(script, writeInputs(dir, inputs)));
    assert.is(got.length, inputs.length, 'one record per input');
    const differences: string[] = [];
    inputs.forEach((input, i) => {
      const expected = nulFields(got[i] as Buffer);
      const mine = port(input, i);
      if (JSON.stringify(mine) !== JSON.stringify(expected))
        differences.push(`${show(input)}: dash ${JSON.stringify(expected)}, port ${JSON.stringify(mine)}`);
    });
    reportFigures(piece, inputs.length, differences);
    return differences;
  });
}

/**
 * Writes each input to its own file (`<dir>/NNNNN`, in order) so one dash process can walk
 * them all: arguments, environment and here-documents cannot carry every byte.
 */
export function writeInputs(dir: string, inputs: readonly Buffer[]): string[] {
  return inputs.map((bytes, i) => {
    const file = path.join(dir, String(i).padStart(5, '0'));
    writeFileSync(file, bytes);
    return file;
  });
}

/** Runs one dash script; its stdout (and stderr, when asked) as bytes. Bounded to 60 s. */
export function dash(script: string, args: readonly string[] = [], options: { cwd?: string; stderrToStdout?: boolean } = {}): Buffer {
  const command = options.stderrToStdout ? `exec 2>&1\n${script}` : script;
  return execFileSync('dash', ['-c', command, 'dash', ...args], {
    cwd: options.cwd,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
  });
}

/** Splits dash's output into records ended by the byte 0x01 (the scripts print it after each input). */
export function records(output: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let end = output.indexOf(1); end >= 0; end = output.indexOf(1, start)) {
    out.push(output.subarray(start, end));
    start = end + 1;
  }
  return out;
}

/** Fields ended by NUL bytes, as latin1 strings. */
export function nulFields(record: Buffer): string[] {
  const text = record.toString('latin1');
  if (text === '') return [];
  return text.endsWith('\0') ? text.slice(0, -1).split('\0') : text.split('\0');
}

/** The figure line the lead quotes: `<piece>: N inputs, M differences`. */
export function reportFigures(piece: string, inputs: number, differences: readonly string[], note = ''): void {
  console.log(`${piece}: ${inputs} inputs, ${differences.length} differences${note ? ` ${note}` : ''}`);
  for (const d of differences.slice(0, 5)) console.log(`  ${d.length > 400 ? `${d.slice(0, 400)}...` : d}`);
}

/** An input shown in a failure message: JSON of its latin1 text. */
export const show = (bytes: Buffer | string): string => JSON.stringify(typeof bytes === 'string' ? bytes : bytes.toString('latin1'));
