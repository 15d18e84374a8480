// The probe's life: port already in use, signals, AUTH_FILE edits without restart, D8, D41.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rm, writeFile } from 'node:fs/promises';
import { run, sleep } from '../../scripts/lib/process.ts';
import { NORMAL_ANSWER, NORMAL_REQUEST, startProbe, startProbeWithAuthFile } from './support.ts';

const AUTHORIZED = 'GET /status HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n';

test('port already in use: a clear error line and exit 1', async () => {
  const first = await startProbe();
  try {
    const { status: code, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/bin/probe.ts'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(first.port) },
      timeoutMs: 15000,
    });
    assert.is(code, 1);
    assert.match(stderr, new RegExp(`: cannot listen on 0\\.0\\.0\\.0:${first.port}: Address already in use\\n$`));
  } finally {
    await first.stop();
  }
});

test('SIGTERM: ends promptly, by the signal, even with a connection open', async () => {
  const probe = await startProbe();
  const pending = probe.exchange(['GET / HTTP/1.1\r\n'], { halfClose: false, boundMs: 5000 });
  await sleep(100);
  const started = Date.now();
  const exit = new Promise<string | null>((resolve) => probe.child.on('exit', (_code, signal) => resolve(signal)));
  process.kill(probe.child.pid as number, 'SIGTERM');
  const signal = await exit;
  assert.is(signal, 'SIGTERM');
  assert.ok(Date.now() - started < 3000, 'exit within the bound');
  assert.is((await pending).bytes.length, 0);
  await probe.stop(); // the probe is gone; this stops the client process
});

test('AUTH_FILE edits apply without a restart; D8 unreadable and D41 tokenless fail closed, said once', async () => {
  const { probe, file } = await startProbeWithAuthFile('user:pass\n');
  try {
    assert.match((await probe.exchange([NORMAL_REQUEST])).bytes.toString('latin1'), /^HTTP\/1\.1 401 /);
    assert.is((await probe.exchange([AUTHORIZED])).bytes.toString('latin1'), NORMAL_ANSWER);
    const lower = AUTHORIZED.replace('Authorization: Basic', 'authorization: basic');
    assert.is((await probe.exchange([lower])).bytes.toString('latin1'), NORMAL_ANSWER, 'D6');
    await writeFile(file, 'other:secret\n');
    assert.match((await probe.exchange([AUTHORIZED])).bytes.toString('latin1'), /^HTTP\/1\.1 401 /);
    await rm(file);
    for (let i = 0; i < 3; i++) {
      assert.match((await probe.exchange([AUTHORIZED])).bytes.toString('latin1'), /^HTTP\/1\.1 401 /);
    }
    const lines = probe
      .stderr()
      .split('\n')
      .filter((line) => line.includes('AUTH_FILE'));
    assert.is(lines.length, 1, 'one error line for the unreadable file');
    assert.ok(lines[0]?.includes(file));
    // D41: a file without a token refuses everyone too, its own line said once per change.
    const noToken = () =>
      probe
        .stderr()
        .split('\n')
        .filter((line) => line.includes('holds no token'));
    await writeFile(file, '\n');
    for (let i = 0; i < 3; i++) {
      assert.match((await probe.exchange([NORMAL_REQUEST])).bytes.toString('latin1'), /^HTTP\/1\.1 401 /, 'no tokens: closed');
    }
    assert.is(noToken().length, 1, 'one line for the file without a token');
    assert.ok(noToken()[0]?.includes(file));
    await writeFile(file, 'user:pass\n');
    assert.is((await probe.exchange([AUTHORIZED])).bytes.toString('latin1'), NORMAL_ANSWER);
    await writeFile(file, '');
    assert.match((await probe.exchange([AUTHORIZED])).bytes.toString('latin1'), /^HTTP\/1\.1 401 /);
    assert.is(noToken().length, 2, 'said again after the file held tokens in between');
  } finally {
    await probe.stop();
  }
});

test.run();
