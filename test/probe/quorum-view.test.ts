// The probe's `GET /view` (docs/behaviour.md §10 "Quorum"), as a process: VIEW_FILE's current
// bytes, behind AUTH_FILE like every route; 404 while the file is missing; 404 without VIEW_FILE.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startProbe } from './support.ts';

const VIEW_REQUEST = 'GET /view HTTP/1.1\r\nHost: p\r\n\r\n';
const AUTHORIZED = 'GET /view HTTP/1.1\r\nHost: p\r\nAuthorization: Basic dXNlcjpwYXNz\r\n\r\n';
const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot found\n';

test('VIEW_FILE and AUTH_FILE set: 401 without credentials, the file with them, 404 once it is gone', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'probe-view-'));
  const auth = path.join(dir, 'auth');
  const view = path.join(dir, 'view.json');
  await writeFile(auth, 'user:pass\n');
  const probe = await startProbe({ AUTH_FILE: auth, VIEW_FILE: view });
  try {
    const text = async (request: string) => (await probe.exchange([request])).bytes.toString('latin1');
    assert.match(await text(VIEW_REQUEST), /^HTTP\/1\.1 401 Unauthorized\r\n/);
    assert.is(await text(AUTHORIZED), NOT_FOUND, 'not written yet');
    await writeFile(view, '{"sentinella_view":1}\n');
    assert.is(
      await text(AUTHORIZED),
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 22\r\nConnection: close\r\n\r\n{"sentinella_view":1}\n',
    );
    assert.match(await text(VIEW_REQUEST), /^HTTP\/1\.1 401 Unauthorized\r\n/, 'still refused without credentials');
    await writeFile(view, '{"sentinella_view":1,"x":2}\n');
    assert.match(await text(AUTHORIZED), /\r\n\r\n\{"sentinella_view":1,"x":2\}\n$/, 'read again on each request');
    await rm(view);
    assert.is(await text(AUTHORIZED), NOT_FOUND);
    assert.is(probe.stderr(), '');
  } finally {
    await probe.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('VIEW_FILE unset: /view is the originals 404 even when a view.json exists somewhere', async () => {
  const probe = await startProbe();
  try {
    assert.is((await probe.exchange([VIEW_REQUEST])).bytes.toString('latin1'), NOT_FOUND);
  } finally {
    await probe.stop();
  }
});

test.run();
