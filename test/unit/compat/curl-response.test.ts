// The response reader (src/compat/curl-response.ts) on the facts recorded from curl 7.88.1
// against a raw server (`curl -sS -o f -w '%{http_code}'`): the code it reports, the body it
// writes, and how the transfer ends. test/differential/curl-response.test.ts checks hundreds
// more against the real curl; these pin the rules one by one, without curl.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readStatusLine, ResponseReader, transferCodings } from '../../../src/compat/curl-response.ts';
import { equalEach } from '../../support/table.ts';

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
  equalEach(read, [
    ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab', { code: 200, body: 'ab' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc', { code: 200, body: 'abc' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 2\r\n\r\nabc', { code: 200, body: 'ab' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab', { code: 200, body: 'ab' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\nab', { code: 200, body: '' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nab', { code: 200, body: '', failure: '(8) Invalid Content-Length: value' }],
    ['HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nab', { code: 200, body: 'ab' }],
    [
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab',
      { code: 200, body: 'ab', failure: '(18) transfer closed with 8 bytes remaining to read' },
    ],
  ]);
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

test('1xx: the framing headers ignored; 101 takes the rest as its body, none is an empty reply', () => {
  assert.equal(read('HTTP/1.1 101 Switching Protocols\r\n\r\n'), { code: 101, body: '', failure: '(52) Empty reply from server' });
  assert.equal(read('HTTP/1.1 101 Switching\r\nContent-Length: 3\r\n\r\nabcdef'), { code: 101, body: 'abcdef' });
  assert.equal(read('HTTP/1.1 101 Switching\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n'), {
    code: 101,
    body: '2\r\nab\r\n0\r\n\r\n',
  });
  assert.equal(read('HTTP/1.1 103 Early\r\n\r\nHTTP/1.1 101 Switching\r\n\r\nab'), { code: 101, body: 'ab' });
  // Cut inside the headers of a 1xx: its Content-Length or chunked never applied.
  assert.equal(read('HTTP/1.1 101 Switching\r\nContent-Length: 35\r\nX'), { code: 101, body: '' });
  assert.equal(read('HTTP/1.1 102 Processing\r\nTransfer-Encoding: chunked\r\nCont'), { code: 102, body: '' });
  assert.equal(read('HTTP/1.1 100 Continue\r\nTransfer-Encoding: foo\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab'), {
    code: 200,
    body: 'ab',
  });
});

test('Transfer-Encoding: curl splits the codings, chunked anywhere, identity passes, others fail at the first body byte', () => {
  const codings = (value: string) => transferCodings(Buffer.from(`${value}\r\n`, 'latin1'));
  assert.equal(codings(' gzip, chunked'), ['gzip', 'chunked']);
  assert.equal(codings(',chunked,,'), ['chunked']);
  assert.equal(codings('gzip chunked'), ['gzip chunked']);
  assert.equal(codings('Chunked;q=1 , x\t'), ['Chunked;q=1', 'x']);
  assert.equal(codings(''), []);
  const te = (value: string, rest: string) => read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: ${value}\r\n${rest}`);
  const unknown = '(61) Unrecognized content encoding type. libcurl understands deflate, gzip, br, zstd content encodings.';
  assert.equal(te('chunked, chunked', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: 'ab' });
  assert.equal(te('identity, chunked', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: 'ab' });
  // Without chunked the Content-Length is ignored: the body runs to the close.
  assert.equal(te('identity', 'Content-Length: 2\r\n\r\nabc'), { code: 200, body: 'abc' });
  assert.equal(te('', 'Content-Length: 1\r\n\r\nabc'), { code: 200, body: 'abc' });
  assert.equal(te('foo', '\r\nabc'), { code: 200, body: '', failure: unknown });
  assert.equal(te('chunked;q=1', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: '', failure: unknown });
  assert.equal(te('foo, chunked', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: '', failure: unknown });
  assert.equal(te('foo, identity', '\r\nabc'), { code: 200, body: '', failure: unknown });
  assert.equal(te('foo', 'Content-Length: 0\r\n\r\n'), { code: 200, body: '' });
  assert.equal(te('foo, chunked', '\r\n0\r\n\r\n'), { code: 200, body: '' });
  // [D37] A compression curl would decode: the port fails with code 61.
  const d37 = '(61) Unrecognized or bad HTTP Content or Transfer-Encoding';
  assert.equal(te('gzip, chunked', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: '', failure: d37 });
  assert.equal(te('chunked, x-gzip', '\r\n2\r\nab\r\n0\r\n\r\n'), { code: 200, body: '', failure: d37 });
  assert.equal(te('foo, br', '\r\nabc'), { code: 200, body: '', failure: d37 });
  assert.equal(te('a, b, c, d, e, f', '\r\nab'), {
    code: 200,
    body: '',
    failure: '(61) Reject response due to more than 5 content encodings',
  });
  assert.equal(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: a, b, c\r\nTransfer-Encoding: d, e, chunked\r\n\r\n0\r\n\r\n'), {
    code: 200,
    body: '',
  });
  assert.equal(read('HTTP/1.1 204 No\r\nTransfer-Encoding: a, b, c, d, e, f\r\n\r\n'), { code: 204, body: '' });
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
  equalEach(chunked, [
    ['2;ext=1\r\nab\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n', { code: 200, body: 'ab0123456789' }],
    ['2\nab\n0\n\n', { code: 200, body: 'ab' }],
    ['zz\r\nab\r\n0\r\n\r\n', { code: 200, body: '', failure: '(56) Illegal or missing hexadecimal sequence in chunked-encoding' }],
    ['2\r\nabXX1\r\nc\r\n0\r\n\r\n', { code: 200, body: 'ab', failure: '(56) Malformed encoding found in chunked-encoding' }],
    ['ffffffffffffffffff\r\nab\r\n', { code: 200, body: '', failure: '(56) Too long hexadecimal number in chunked-encoding' }],
    ['2\r\nab\r\n0\r\n', { code: 200, body: 'ab', failure: '(18) transfer closed with outstanding read data remaining' }],
  ]);
});

test.run();
