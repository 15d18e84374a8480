import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AuthFileCache,
  authStateFromFile,
  isAuthorized,
  readAuthStateSync,
  readMatchesStat,
  SETTLE_NS,
  tokenAccepted,
  tokensFromFile,
  type AuthFileIo,
} from '../../src/auth.ts';

test('tokens: non-empty lines, last line without LF counts, CR kept', () => {
  assert.equal(tokensFromFile(Buffer.from('user:pass\n\nb:c')), ['dXNlcjpwYXNz', 'Yjpj']);
  assert.equal(tokensFromFile(Buffer.from('user:pass\r\n')), [Buffer.from('user:pass\r').toString('base64')]);
  assert.equal(tokensFromFile(Buffer.from('\n\n')), []);
  // dash's `read` drops NUL bytes (§9); spaces, tabs and backslashes stay; raw bytes stay.
  assert.equal(tokensFromFile(Buffer.from('us\0er:pass\n\0\0\n', 'latin1')), ['dXNlcjpwYXNz']);
  assert.equal(tokensFromFile(Buffer.from(' a\tb\\ \n')), [Buffer.from(' a\tb\\ ').toString('base64')]);
  assert.equal(tokensFromFile(Buffer.from([0xe9, 0xff])), ['6f8=']);
});

test('constant-time comparison accepts exactly the tokens', () => {
  assert.ok(tokenAccepted('Yjpj', ['dXNlcjpwYXNz', 'Yjpj']));
  assert.not.ok(tokenAccepted('Yjp', ['dXNlcjpwYXNz', 'Yjpj']));
  assert.not.ok(tokenAccepted('', ['Yjpj']));
});

test('open / tokens / closed', () => {
  assert.ok(isAuthorized({ kind: 'open' }, ''));
  assert.not.ok(isAuthorized({ kind: 'closed', message: 'x' }, 'Yjpj'));
  assert.ok(isAuthorized({ kind: 'tokens', tokens: ['Yjpj'] }, 'Yjpj'));
});

test('D8: missing file or directory fails closed, naming the file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auth-'));
  try {
    const missing = readAuthStateSync(path.join(dir, 'none'));
    assert.is(missing.kind, 'closed');
    assert.ok(missing.kind === 'closed' && missing.message.includes(path.join(dir, 'none')));
    await mkdir(path.join(dir, 'd'));
    assert.is(readAuthStateSync(path.join(dir, 'd')).kind, 'closed');
    assert.is(readAuthStateSync(null).kind, 'open');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('D41: a set AUTH_FILE without a token fails closed, naming the file', () => {
  for (const bytes of ['', '\n\n\n', '\0\0\n\0', '\0']) {
    const state = authStateFromFile('/etc/auth', Buffer.from(bytes, 'latin1'));
    assert.equal(
      state,
      { kind: 'closed', message: 'AUTH_FILE /etc/auth holds no token (no non-empty line): refusing every request' },
      JSON.stringify(bytes),
    );
    assert.not.ok(isAuthorized(state, ''));
  }
  // A line of one space is a token (§4.1: exact bytes), so the file is not tokenless.
  assert.equal(authStateFromFile('/etc/auth', Buffer.from(' \n')), { kind: 'tokens', tokens: ['IA=='] });
});

test('cache: edits apply to the next call; removal fails closed; empty file fails closed [D41]', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auth-'));
  const file = path.join(dir, 'auth');
  try {
    await writeFile(file, 'user:pass\n');
    const cache = new AuthFileCache(file);
    assert.equal(await cache.current(), { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] });
    await writeFile(file, 'b:c\n');
    assert.equal(await cache.current(), { kind: 'tokens', tokens: ['Yjpj'] });
    await writeFile(file, '');
    assert.is((await cache.current()).kind, 'closed');
    await writeFile(file, 'b:c\n');
    assert.equal(await cache.current(), { kind: 'tokens', tokens: ['Yjpj'] });
    await rm(file);
    assert.is((await cache.current()).kind, 'closed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a read is kept only when it has the stat's size and the file has settled", () => {
  const at = 10n * SETTLE_NS;
  const info = { size: 11n, mtimeNs: at, ctimeNs: at };
  assert.ok(readMatchesStat(info, 11, at + SETTLE_NS));
  assert.not.ok(readMatchesStat(info, 0, at + SETTLE_NS), 'truncated between stat and read');
  assert.not.ok(readMatchesStat(info, 11, at + SETTLE_NS - 1n), 'changed within the settle time');
  assert.not.ok(readMatchesStat({ ...info, ctimeNs: at + 1n }, 11, at + SETTLE_NS), 'ctime counts too');
});

test("cache: the empty read of a rewrite in progress is not kept under the whole file's stat", async () => {
  // One stat for every call (same inode, size, times: a rewrite within one clock tick); the
  // first read lands between the operator's truncation and write.
  const whole = Buffer.from('user:pass\n');
  const reads = [Buffer.alloc(0), whole, whole];
  let readCount = 0;
  const io: AuthFileIo = {
    stat: async () => ({ dev: 1n, ino: 2n, size: BigInt(whole.length), mtimeNs: 0n, ctimeNs: 0n }),
    readFile: async () => reads[readCount++] as Buffer,
    nowNs: () => 10n * SETTLE_NS,
  };
  const cache = new AuthFileCache('/etc/auth', io);
  assert.is((await cache.current()).kind, 'closed');
  assert.equal(await cache.current(), { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] });
  assert.equal(await cache.current(), { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] });
  assert.is(readCount, 2, 'the whole read is kept; the empty one was not');
});

test.run();
