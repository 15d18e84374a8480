import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthFileCache, isAuthorized, readAuthStateSync, tokenAccepted, tokensFromFile } from '../../src/auth.ts';

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

test('cache: edits apply to the next call; removal fails closed; empty file is open', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'auth-'));
  const file = path.join(dir, 'auth');
  try {
    await writeFile(file, 'user:pass\n');
    const cache = new AuthFileCache(file);
    assert.equal(await cache.current(), { kind: 'tokens', tokens: ['dXNlcjpwYXNz'] });
    await writeFile(file, 'b:c\n');
    assert.equal(await cache.current(), { kind: 'tokens', tokens: ['Yjpj'] });
    await writeFile(file, '');
    assert.equal(await cache.current(), { kind: 'open' });
    await rm(file);
    assert.is((await cache.current()).kind, 'closed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
