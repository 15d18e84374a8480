// D41: an AUTH_FILE rewritten in place (`printf 'alice:pa55\n' > auth`, as an operator does) is
// empty between the shell's truncation and its write. The originals read an empty file as "no
// auth", so a request landing in that instant was served without credentials; the port refuses
// it. A real probe on loopback, a dash loop rewriting the file, a client sending requests
// without credentials meanwhile: not one of them may get a 200. Bounded in rewrites and time;
// the rewriter and the probe are stopped by PID.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { NORMAL_ANSWER, NORMAL_REQUEST, startProbeWithAuthFile } from './support.ts';

const AUTHORIZED = `GET /status HTTP/1.1\r\nAuthorization: Basic ${Buffer.from('alice:pa55').toString('base64')}\r\n\r\n`;
const REWRITES = 3000;
const REWRITE_BOUND_MS = 3000;
/** The truncate-then-write of an operator's shell; prints how many rewrites it did. */
const REWRITER = `i=0; trap 'echo "$i"; exit 0' TERM; while [ "$i" -lt "$1" ]; do printf 'alice:pa55\\n' > "$2"; i=$((i + 1)); done; echo "$i"`;

test('D41: AUTH_FILE rewritten in place: no request without credentials is ever answered 200', async () => {
  const { probe, file } = await startProbeWithAuthFile('alice:pa55\n');
  try {
    const rewriter = spawn('sh', ['-c', REWRITER, 'sh', String(REWRITES), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let printed = '';
    rewriter.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString('latin1')));
    let running = true;
    const done = new Promise<void>((resolve) =>
      rewriter.on('exit', () => {
        running = false;
        resolve();
      }),
    );
    const stopTimer = setTimeout(() => rewriter.pid !== undefined && running && process.kill(rewriter.pid, 'SIGTERM'), REWRITE_BOUND_MS);
    const statuses = new Map<string, number>();
    let requests = 0;
    // Batches of requests until the rewriter is done (its own bound: REWRITES or the timer).
    for (let batch = 0; batch < 100 && running; batch++) {
      const { results } = await probe.client.batch(
        probe.port,
        Array.from({ length: 400 }, () => ({ parts: [NORMAL_REQUEST] })),
        8,
        250,
      );
      for (const result of results) {
        const status = /^HTTP\/1\.1 (\d{3}) /.exec(result.bytes.toString('latin1'))?.[1] ?? `no answer (${result.outcome})`;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        requests += 1;
      }
    }
    await done;
    clearTimeout(stopTimer);
    const rewrites = Number(printed.trim());
    const ok = statuses.get('200') ?? 0;
    const warnings = probe
      .stderr()
      .split('\n')
      .filter((line) => line.includes('holds no token'));
    console.log(
      `  D41 rewrite race: ${requests} requests, ${rewrites} rewrites, ${ok} answered 200, ${statuses.get('401') ?? 0} answered 401, ${warnings.length} no-token lines (${JSON.stringify(Object.fromEntries(statuses))})`,
    );
    assert.ok(rewrites >= 100, `the file was rewritten (${rewrites})`);
    assert.ok(requests >= 200, `requests were sent (${requests})`);
    assert.is(ok, 0, `${ok} of ${requests} requests without credentials were answered 200`);
    assert.is(statuses.get('401'), requests, 'every request answered 401');
    // Said once per change of the file's state (at most once per empty window a request saw).
    assert.ok(warnings.length <= rewrites, 'no line per refused request');
    // Once the file is whole again, its token is accepted at once: no empty read of the race
    // stays cached under the whole file's stat (sizes and times alike, within a clock tick).
    const after = await probe.exchange([AUTHORIZED]);
    assert.is(after.bytes.toString('latin1'), NORMAL_ANSWER, 'the token is accepted once the rewrites stopped');
    assert.ok(probe.alive());
  } finally {
    await probe.stop();
  }
});

test.run();
