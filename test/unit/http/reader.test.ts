// The response reader (src/http/reader.ts) on the facts recorded from curl 7.88.1 against a
// raw server (`curl -sS -o f -w '%{http_code}'`): the code it reports, the body it writes,
// and how the transfer ends. test/differential/curl-response.test.ts checks hundreds more
// against the real curl; these pin the rules one by one, without curl.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readStatusLine, ResponseReader } from '../../../src/http/reader.ts';

/** Feeds `raw` in pieces of `step` bytes, then the connection closes. */
function read(raw: string, step = 3): { code: number; body: string; failure?: string } {
  const body: Buffer[] = [];
  const reader = new ResponseReader({ onBody: (bytes) => body.push(bytes) });
  const bytes = Buffer.from(raw, 'latin1');
  for (let at = 0; at < bytes.length && !reader.outcome; at += step) reader.feed(bytes.subarray(at, at + step));
  reader.end();
  const failure = reader.outcome?.failure;
  return {
    code: reader.status,
    body: Buffer.concat(body).toString('latin1'),
    ...(failure ? { failure: `(${failure.code}) ${failure.message}` } : {}),
  };
}

test('Content-Length: repeated is fine, the last of conflicting ones wins, invalid fails', () => {
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab'), { code: 200, body: 'ab' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc'), { code: 200, body: 'abc' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 2\r\n\r\nabc'), { code: 200, body: 'ab' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab'), { code: 200, body: 'ab' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\nab'), { code: 200, body: '' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nab'), {
    code: 200,
    body: '',
    failure: '(8) Invalid Content-Length: value',
  });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nab'), { code: 200, body: 'ab' });
  assert.equal(read('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab'), {
    code: 200,
    body: 'ab',
    failure: '(18) transfer closed with 8 bytes remaining to read',
  });
});

test('status lines: versions, codes, HTTP/0.9, the lowercase fallback', () => {
  const code = (line: string) => readStatusLine(Buffer.from(`${line}\r\n`, 'latin1'));
  assert.equal(code('HTTP/1.1 200'), { kind: 'status', status: 200 });
  assert.equal(code('HTTP/1.1  301 Two spaces'), { kind: 'status', status: 301 });
  assert.equal(code('HTTP/1.1 200OK'), { kind: 'status', status: 200 });
  assert.equal(code('HTTP/2 2000'), { kind: 'status', status: 2000 });
  assert.equal(code('HTTP/2 20'), { kind: 'status', status: 20 });
  assert.equal(code('http/1.1 404 Nope'), { kind: 'status', status: 200 });
  assert.equal(code('HTTP/x'), { kind: 'status', status: 200 });
  assert.equal(code('HTTP/1.1 0200 OK'), { kind: 'refused', failure: { code: 1, message: 'Unsupported response code in HTTP response' } });
  assert.equal(code('HTTP/1.1 2000 OK'), { kind: 'refused', failure: { code: 1, message: 'Unsupported response code in HTTP response' } });
  assert.equal(code('HTTP/1.2 200 OK'), { kind: 'refused', failure: { code: 1, message: 'Unsupported HTTP version (1.2) in response' } });
  assert.equal(code('HTTP/3 200'), { kind: 'refused', failure: { code: 1, message: 'Unsupported HTTP version (3.0) in response' } });
  assert.equal(code('HTTP/1.1\t200 OK'), { kind: 'refused', failure: { code: 1, message: 'Unsupported HTTP version in response' } });
  assert.equal(read('hello world'), { code: 0, body: '', failure: '(1) Received HTTP/0.9 when not allowed' });
  assert.equal(read(' HTTP/1.1 200 OK\r\n\r\n'), { code: 0, body: '', failure: '(1) Received HTTP/0.9 when not allowed' });
  assert.equal(read('abc'), { code: 0, body: '', failure: '(1) Received HTTP/0.9 when not allowed' });
});

test('interim responses, empty replies, bodyless codes, read until close', () => {
  assert.equal(read('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nab'), { code: 201, body: 'ab' });
  assert.equal(read('HTTP/1.1 100 Continue\r\n\r\n'), { code: 100, body: '', failure: '(52) Empty reply from server' });
  assert.equal(read('HTTP/1.1 101 Switching\r\n\r\nrest'), { code: 101, body: 'rest' });
  assert.equal(read(''), { code: 0, body: '', failure: '(52) Empty reply from server' });
  assert.equal(read('HTTP/1.1 200 OK'), { code: 0, body: '', failure: '(52) Empty reply from server' });
  assert.equal(read('HTTP/1.1 200 OK\r\n'), { code: 200, body: '' });
  assert.equal(read('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nabcde'), { code: 204, body: '' });
  assert.equal(read('HTTP/1.0 200 OK\r\n\r\nabcdef'), { code: 200, body: 'abcdef' });
  assert.equal(read('HTTP/1.1 200 OK\nContent-Length: 2\n\nab'), { code: 200, body: 'ab' });
});

test('header bytes: NUL, no colon, folding, line and total limits', () => {
  assert.equal(read('HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\nab'), { code: 200, body: '', failure: '(8) Nul byte in header' });
  assert.equal(read('HTTP/1.1 200 OK\r\nNoColon\r\n\r\nab'), { code: 200, body: '', failure: '(8) Header without colon' });
  assert.equal(read('HTTP/1.1 200 OK\r\n X: a\r\n\r\nab'), {
    code: 200,
    body: '',
    failure: '(43) A libcurl function was given a bad argument',
  });
  assert.equal(read('HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\nab'), { code: 200, body: 'ab' });
  assert.equal(read('HTTP/1.1 200 OK\r\nX: \x01\xff\r\n\r\nab'), { code: 200, body: 'ab' });
  const line = (n: number) => `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(n)}\r\nContent-Length: 2\r\n\r\nab`;
  assert.equal(read(line(102390), 4096), { code: 200, body: 'ab' });
  assert.equal(read(line(102395), 4096), { code: 200, body: '', failure: '(27) Out of memory' });
  const many = `HTTP/1.1 200 OK\r\n${`X: ${'a'.repeat(8000)}\r\n`.repeat(40)}\r\nab`;
  assert.equal(read(many, 4096), { code: 200, body: '', failure: '(56) Too large response headers: 312212 > 307200' });
});

test('chunked: extensions, trailers, bad sizes, early close', () => {
  const chunked = (rest: string) => read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${rest}`);
  assert.equal(chunked('2;ext=1\r\nab\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n'), { code: 200, body: 'ab0123456789' });
  assert.equal(chunked('2\nab\n0\n\n'), { code: 200, body: 'ab' });
  assert.equal(chunked('zz\r\nab\r\n0\r\n\r\n'), {
    code: 200,
    body: '',
    failure: '(56) Illegal or missing hexadecimal sequence in chunked-encoding',
  });
  assert.equal(chunked('2\r\nabXX1\r\nc\r\n0\r\n\r\n'), {
    code: 200,
    body: 'ab',
    failure: '(56) Malformed encoding found in chunked-encoding',
  });
  assert.equal(chunked('ffffffffffffffffff\r\nab\r\n'), {
    code: 200,
    body: '',
    failure: '(56) Too long hexadecimal number in chunked-encoding',
  });
  assert.equal(chunked('2\r\nab\r\n0\r\n'), {
    code: 200,
    body: 'ab',
    failure: '(18) transfer closed with outstanding read data remaining',
  });
});

test.run();
