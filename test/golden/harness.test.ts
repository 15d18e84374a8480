// Unit tests of the golden harness's pure parts (normalisations, diff, representation) and of
// the reusable fakes in test/support (on loopback, ephemeral ports, every server closed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { diffObservations, lineDiff, visible } from './diff.ts';
import { maskHostFigures, normaliseText, represent } from './normalise.ts';
import { parseRequestHead, startFakePeer, statusSummaryBody } from '../../scripts/lib/peers.ts';
import type { Observation } from './types.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPECTED_DIR, loadCases, stageBinDirs } from './engine.ts';

const ctx = { binDirs: ['/work/main/build/legacy/bin', '/nix/store/abc-sentinella/bin'], dashLineNumbers: true };
const norm = (s: string) => normaliseText(Buffer.from(s, 'latin1'), ctx).toString('latin1');

test('N1+N2: bin dir and dash line numbers', () => {
  assert.is(norm('/work/main/build/legacy/bin/router: 154: tmpb: parameter not set\n'), '<bin>/router: tmpb: parameter not set\n');
  assert.is(norm('/nix/store/abc-sentinella/bin/base64: 3: 1: parameter not set or null'), '<bin>/base64: 1: parameter not set or null');
  // Only the prefix: digits later in the message stay.
  assert.is(norm('<bin>/watcher: cannot create /x/1.state: 2: x'), '<bin>/watcher: cannot create /x/1.state: 2: x');
  // The port side keeps everything after its path: `2: ` there names the parameter $2.
  const port = normaliseText(Buffer.from('/opt/bin/base64: 2: parameter not set or null'), {
    binDirs: ['/opt/bin'],
    dashLineNumbers: false,
  });
  assert.is(port.toString(), '<bin>/base64: 2: parameter not set or null');
});

test('N3: time_s masked, 6 decimals kept, a failed 0 untouched', () => {
  assert.is(norm('{"time_s":0.001741,"ok":true},{"time_s":0,"ok":false}'), '{"time_s":N.NNNNNN,"ok":true},{"time_s":0,"ok":false}');
  assert.is(norm('"time_s":0.0017}'), '"time_s":0.0017}');
});

test('N4, N5: curl durations and socat prefixes', () => {
  assert.is(
    norm('curl: (7) Failed to connect to 127.0.0.4 port 5988 after 0 ms: x'),
    'curl: (7) Failed to connect to 127.0.0.4 port 5988 after N ms: x',
  );
  assert.is(
    norm('curl: (28) Operation timed out after 2001 milliseconds with 0 bytes'),
    'curl: (28) Operation timed out after N milliseconds with 0 bytes',
  );
  assert.is(norm('2026/11/26 11:35:21 socat[1234] E bind'), 'YYYY/MM/DD hh:mm:ss socat[PID] E bind');
  assert.is(
    norm('2026/11/26 11:35:21 socat[12] W waitpid(): child 29406 exited with status 1\nchild 5'),
    'YYYY/MM/DD hh:mm:ss socat[PID] W waitpid(): child PID exited with status 1\nchild 5',
  );
});

test("N10: socat's racy waitpid error line is dropped, nothing around it", () => {
  assert.is(norm('df: x\n2026/11/26 11:35:21 socat[12] E waitpid(): child 29406 exited with status 1\ndf: y\n'), 'df: x\ndf: y\n');
  assert.is(
    norm('2026/11/26 11:35:21 socat[12] E bind(5, {AF=2 0.0.0.0:6009}, 16): Address in use\n'),
    'YYYY/MM/DD hh:mm:ss socat[PID] E bind(5, {AF=2 0.0.0.0:6009}, 16): Address in use\n',
  );
});

test('represent: UTF-8 as text, anything else as base64', () => {
  assert.is(represent(Buffer.from('OK — fine', 'utf8')), 'OK — fine');
  assert.equal(represent(Buffer.from([0xff, 0x00])), { base64: '/wA=' });
});

test('diff: escapes visible, fields named, equal observations have no diff', () => {
  assert.is(visible('\x1b[32mx\r\n'), '\\e[32mx\\r\\n');
  const a: Observation = { stdout: 'a\nb\n', stderr: '', exit: 'exit 0' };
  assert.equal(diffObservations(a, { ...a }), []);
  const problems = diffObservations(a, { ...a, stdout: 'a\nc\n', exit: 'exit 2' });
  assert.is(problems.length, 2);
  assert.match(problems[0] as string, /- b\\n\n\+ c\\n/);
  assert.match(problems[1] as string, /exit differs/);
  assert.is(lineDiff(['x'], ['x']), '  x');
});

test('peers: canned JSON answer and the request recorded', async () => {
  const peer = await startFakePeer({ host: '127.0.0.1', port: 47123, answers: [{ kind: 'json', body: statusSummaryBody([]) }] });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = net.connect(47123, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nauthorization: Basic eA==\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += d));
      s.on('close', () => resolve(got));
      s.on('error', reject);
      setTimeout(() => s.destroy(), 3000).unref();
    });
    assert.match(answer, /^HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nContent-Length: 75\r\n/);
    assert.ok(answer.endsWith(statusSummaryBody([])));
    assert.equal(peer.requests[0]?.authorization, ['authorization: Basic eA==']);
  } finally {
    await peer.close();
  }
});

test('parseRequestHead: bare LF and CRLF', () => {
  const r = parseRequestHead('GET /x HTTP/1.1\nA: b\r\nAuthorization: Basic y');
  assert.is(r.path, '/x');
  assert.equal(r.headers, ['A: b', 'Authorization: Basic y']);
});

test('N7: host file system figures masked, sandbox tmpfs kept', () => {
  const body =
    '{"volumes":[{"mount":"/","size_blocks":264212084,"used":22787940,"avail":83602972,"use_percent":"22%"},{"mount":"/mnt/vol1","size_blocks":1024,"used":0,"avail":1024,"use_percent":"0%"}]}';
  const masked = maskHostFigures({
    stdout: `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    stderr: '',
    exit: 'exit 0',
  });
  assert.is(
    masked.stdout,
    'HTTP/1.1 200 OK\r\nContent-Length: N\r\n\r\n{"volumes":[{"mount":"/","size_blocks":N,"used":N,"avail":N,"use_percent":"N"},{"mount":"/mnt/vol1","size_blocks":1024,"used":0,"avail":1024,"use_percent":"0%"}]}',
  );
});

test('every divergence a case lists has its section in DIVERGENCES.md', async () => {
  const text = readFileSync(path.join(path.dirname(EXPECTED_DIR), 'DIVERGENCES.md'), 'utf8');
  const missing = new Set<string>();
  for (const c of await loadCases()) {
    for (const d of c.divergences ?? []) if (!new RegExp(`^### ${d}\\b`, 'm').test(text)) missing.add(`${d} (${c.id})`);
  }
  assert.equal([...missing], []);
});

test('no expectation file without its case (stale files are reported)', async () => {
  const ids = new Set((await loadCases()).map((c) => c.id));
  const stale = readdirSync(EXPECTED_DIR)
    .filter((f) => f.endsWith('.json'))
    .filter((f) => !ids.has(f.replace(/(\.port)?\.json$/, '')));
  assert.equal(stale, []);
});

test('staged bin dirs: world-traversable copies, the originals built into theirs, removed at the end', () => {
  const given = mkdtempSync(path.join(os.tmpdir(), 'sentinella-given-')); // mode 0700, like a clone under /root
  writeFileSync(path.join(given, 'router.real'), '#!/bin/sh\necho given\n', { mode: 0o750 });
  symlinkSync('router.real', path.join(given, 'router'));
  const stage = stageBinDirs({ legacy: true, port: true }, { PORT_BIN_DIR: given });
  try {
    const legacy = stage.legacy.dir as string;
    const port = stage.port.dir as string;
    for (let dir = legacy; dir !== '/'; dir = path.dirname(dir))
      assert.ok((statSync(dir).mode & 0o001) !== 0, `${dir} is traversable by everyone`);
    assert.is(statSync(port).mode & 0o777, 0o755);
    // The port's programs: copied (the symlink followed, the mode kept), absent ones absent.
    assert.is(readFileSync(path.join(port, 'router'), 'utf8'), '#!/bin/sh\necho given\n');
    assert.is(statSync(path.join(port, 'router')).mode & 0o777, 0o750);
    assert.equal(readdirSync(port), ['router']);
    assert.is(stage.port.from, given);
    // The originals: built into the copy, so their PATH line names the copy.
    assert.match(readFileSync(path.join(legacy, 'router'), 'utf8'), `export PATH="${legacy}:`);
    assert.ok(stage.legacy.spellings.includes(legacy) && stage.port.spellings.includes(given));
  } finally {
    stage.cleanup();
    rmSync(given, { recursive: true, force: true });
  }
  assert.not.ok(existsSync(path.dirname(stage.port.dir as string)), 'cleanup removed the copies');
});

test.run();
