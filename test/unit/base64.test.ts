import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBase64, encodeBase64, runBase64 } from '../../src/base64.ts';

test('encode: contract example', () => {
  assert.equal(runBase64('/b/base64', ['encode', 'user:pass']), { stdout: Buffer.from('dXNlcjpwYXNz\n'), stderr: '', status: 0 });
});

test('D10: repeated 16-byte blocks encode correctly', () => {
  assert.is(encodeBase64('a'.repeat(32)), Buffer.from('a'.repeat(32)).toString('base64'));
  assert.is(encodeBase64('a'.repeat(32)), 'YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE=');
  assert.is.not(encodeBase64('a'.repeat(32)), 'YWFhYWFhYWFhYWFhYWFhYQ==');
});

test('no argument: dash error naming $1, exit 2', () => {
  assert.equal(runBase64('/b/base64', []), { stdout: Buffer.alloc(0), stderr: '/b/base64: 1: parameter not set or null\n', status: 2 });
});

test('encode without a string: error, nothing on stdout, exit 0', () => {
  for (const args of [['encode'], ['encode', '']]) {
    const result = runBase64('/b/base64', args);
    assert.is(result.stdout.length, 0);
    assert.is(result.status, 0);
    assert.match(result.stderr, /parameter not set or null\n$/);
  }
});

test('other mode: nothing, exit 0', () => {
  assert.equal(runBase64('/b/base64', ['frobnicate', 'x']), { stdout: Buffer.alloc(0), stderr: '', status: 0 });
});

test("decode '': bare newline and the error, exit 0", () => {
  const result = runBase64('/b/base64', ['decode', '']);
  assert.is(result.stdout.toString(), '\n');
  assert.is(result.status, 0);
  assert.match(result.stderr, /parameter not set or null/);
});

test('D3: decode decodes (bytes then newline)', () => {
  assert.equal(runBase64('/b/base64', ['decode', 'YQ==']).stdout, Buffer.from('a\n'));
  assert.equal(runBase64('/b/base64', ['decode', 'dXNlcjpwYXNz']).stdout, Buffer.from('user:pass\n'));
  assert.equal(decodeBase64('/w=='), Buffer.from([0xff]));
});

test('round trip over many inputs', () => {
  for (let n = 0; n < 80; n++) {
    const value = 'ab'.repeat(n) + 'é';
    assert.is(decodeBase64(encodeBase64(value)).toString('utf8'), value);
  }
});

test.run();
