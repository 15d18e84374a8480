// Differential test, responses (docs/behaviour.md §9): the same crafted raw responses are
// served by a loopback raw-socket server to the real curl (`curl -sS -o <file> -w
// '%{http_code}'`, as the originals run it) and to the port's client (src/http/client.ts +
// src/compat/curl-response.ts); the code, the body bytes, success or failure and the error line
// must be the same. Inputs: the hand-written edge cases plus generated ones from a fixed seed.
// curl takes a batch of URLs per run (one /r/<n> per response), so the whole piece runs in
// seconds. A body under a compressed transfer coding (gzip, deflate, br, zstd) is D37: curl
// decodes it, the port fails with 61; those are counted apart, and must still agree on the
// code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRawServer } from '../support/raw-server.ts';
import { edgeResponses, randomResponses } from './random-curl.ts';
import { httpCode } from '../../src/compat/curl-options.ts';
import { send } from '../../src/http/client.ts';
import { ResponseReader, UNDECODED_CODING } from '../../src/compat/curl-response.ts';
import { curlErrorLine } from '../../src/compat/curl-errors.ts';

/** [D37] The port's failure for a body under a compressed transfer coding. */
const D37_LINE = curlErrorLine(UNDECODED_CODING);

const SEED = 20261202;
const GENERATED = 320;
const BATCH = 40;

interface Outcome {
  readonly code: string;
  readonly exit: number;
  readonly error: string;
  readonly body: string;
}

/** Measured figures (`after 3 ms`) differ from run to run: masked on both sides. */
const mask = (text: string): string => text.replace(/\d+ (ms|milliseconds)/g, 'N $1');

function runCurl(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('curl', args, { encoding: 'latin1', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (_error, stdout) => resolve(stdout));
  });
}

async function curlOutcomes(port: number, indices: number[], dir: string): Promise<Map<number, Outcome>> {
  const args = ['-sS', '-m', '5', '-w', '%{http_code} %{exitcode} %{errormsg}\\n'];
  for (const i of indices) args.push('-o', path.join(dir, `body-${i}`), `http://127.0.0.1:${port}/r/${i}`);
  const lines = (await runCurl(args)).split('\n');
  const out = new Map<number, Outcome>();
  indices.forEach((i, k) => {
    const match = /^(\d+) (\d+) ?(.*)$/.exec(lines[k] ?? '');
    let body = '';
    try {
      body = readFileSync(path.join(dir, `body-${i}`), 'latin1');
    } catch {
      // curl creates the file only when it has body bytes to write
    }
    const exit = Number(match?.[2] ?? -1);
    out.set(i, { code: match?.[1] ?? '?', exit, error: exit === 0 ? '' : mask(`curl: (${exit}) ${match?.[3] ?? ''}`), body });
  });
  return out;
}

/** The reader alone, fed one byte at a time (every split point a slow peer could make). */
function byteByByte(raw: string): Outcome {
  const body: Buffer[] = [];
  const reader = new ResponseReader({ onBody: (bytes) => body.push(bytes) });
  const bytes = Buffer.from(raw, 'latin1');
  for (let at = 0; at < bytes.length && !reader.outcome; at++) reader.feed(bytes.subarray(at, at + 1));
  reader.end();
  const failure = reader.outcome?.failure;
  return {
    code: httpCode(reader.status),
    exit: failure?.code ?? 0,
    error: failure ? curlErrorLine(failure) : '',
    body: Buffer.concat(body).toString('latin1'),
  };
}

async function portOutcome(port: number, i: number): Promise<Outcome> {
  const reply = await send({ url: `http://127.0.0.1:${port}/r/${i}`, method: 'GET', timeoutMs: 5000, maxBodyBytes: 16 * 1024 * 1024 });
  return {
    code: httpCode(reply.status),
    exit: reply.kind === 'failed' ? reply.failure.code : 0,
    error: reply.kind === 'failed' ? mask(reply.error) : '',
    body: reply.body.toString('latin1'),
  };
}

test('curl-response: the port reads every response as curl 7.88 does', async () => {
  const responses = [...edgeResponses(), ...randomResponses(SEED, GENERATED)];
  const server = await startRawServer((head) => {
    const match = /^GET \/r\/(\d+) /.exec(head.toString('latin1'));
    return Buffer.from(responses[Number(match?.[1] ?? -1)] ?? '', 'latin1');
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sentinella-curl-response-'));
  const differences: string[] = [];
  const curlSeen: Outcome[] = [];
  const d37 = new Set<number>();
  /** The same outcome, or a D37 one (the port's 61 for a compressed coding, the same code). */
  const agree = (k: number, want: Outcome | undefined, got: Outcome | undefined): boolean => {
    if (JSON.stringify(want) === JSON.stringify(got)) return true;
    if (got?.error !== D37_LINE || want?.code !== got.code) return false;
    d37.add(k);
    return true;
  };
  try {
    const indices = responses.map((_, i) => i);
    const batches: number[][] = [];
    for (let i = 0; i < indices.length; i += BATCH) batches.push(indices.slice(i, i + BATCH));
    const curl = new Map<number, Outcome>();
    // curl stops a run at a "fatal" error (27 out of memory, 43 bad argument): the rest of
    // that batch goes again in the next round.
    let queue = batches;
    for (let round = 0; queue.length > 0 && round < 20; round++) {
      const next: number[][] = [];
      for (let b = 0; b < queue.length; b += 4) {
        const group = queue.slice(b, b + 4);
        const results = await Promise.all(group.map((batch) => curlOutcomes(server.port, batch, dir)));
        results.forEach((result, g) => {
          const batch = group[g] as number[];
          const done = batch.filter((i) => result.get(i)?.code !== '?');
          for (const i of done) curl.set(i, result.get(i) as Outcome);
          const rest = batch.slice(done.length);
          if (rest.length > 0) next.push(rest);
        });
      }
      queue = next;
    }
    for (let i = 0; i < responses.length; i += 8) {
      const slice = indices.slice(i, i + 8);
      const ports = await Promise.all(slice.map((k) => portOutcome(server.port, k)));
      slice.forEach((k, j) => {
        const want = curl.get(k);
        if (want) curlSeen.push(want);
        const got = ports[j];
        const split = byteByByte(responses[k] ?? '');
        if (!agree(k, want, split)) {
          differences.push(
            `#${k} byte by byte ${JSON.stringify((responses[k] ?? '').slice(0, 160))}\n  curl: ${JSON.stringify(want)?.slice(0, 300)}\n  port: ${JSON.stringify(split)?.slice(0, 300)}`,
          );
        }
        if (!agree(k, want, got)) {
          differences.push(
            `#${k} ${JSON.stringify((responses[k] ?? '').slice(0, 160))}\n  curl: ${JSON.stringify(want)?.slice(0, 300)}\n  port: ${JSON.stringify(got)?.slice(0, 300)}`,
          );
        }
      });
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const exits = new Map<number, number>();
  for (const outcome of curlSeen) exits.set(outcome.exit, (exits.get(outcome.exit) ?? 0) + 1);
  console.log(
    `curl-response: ${responses.length} inputs, ${differences.length} differences (${d37.size} under a compressed transfer coding: D37)`,
  );
  console.log(
    `  curl's exit statuses: ${[...exits]
      .sort((a, b) => a[0] - b[0])
      .map(([code, n]) => `${code}×${n}`)
      .join(' ')}`,
  );
  for (const d of differences.slice(0, 30)) console.log(d);
  assert.is(differences.length, 0);
});

test.run();
