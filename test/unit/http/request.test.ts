import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_HEADER_BLOCK, MAX_REQUEST_LINE, parseRequestHead, RequestHeadParser } from '../../../src/http/request.ts';

/** The token a request presents (false when it is not a complete head). */
function tokenOf(text: string): string | false {
  const parsed = parseRequestHead(text);
  return parsed.kind === 'head' && parsed.presentedToken;
}

test('CRLF request: request line keeps its CR, no token', () => {
  assert.equal(parseRequestHead('GET /status HTTP/1.1\r\nHost: x\r\n\r\n'), {
    kind: 'head',
    requestLine: 'GET /status HTTP/1.1\r',
    presentedToken: '',
  });
});

test('bare LF works like CRLF', () => {
  const parsed = parseRequestHead('GET /disk HTTP/1.1\nHost: x\n\n');
  assert.equal(parsed, { kind: 'head', requestLine: 'GET /disk HTTP/1.1', presentedToken: '' });
});

test('EOF before a complete request line: no request', () => {
  assert.equal(parseRequestHead(''), { kind: 'no-request' });
  assert.equal(parseRequestHead('GET / HTTP/1.1'), { kind: 'no-request' });
});

test('EOF ends the headers; the last header without LF is never read', () => {
  const parsed = parseRequestHead('GET / HTTP/1.1\r\nAuthorization: Basic abc');
  assert.equal(parsed, { kind: 'head', requestLine: 'GET / HTTP/1.1\r', presentedToken: '' });
});

test('a line that is exactly CR ends the headers; later headers are not read', () => {
  assert.is(tokenOf('GET / HTTP/1.1\n\r\nAuthorization: Basic abc\n\n'), '');
});

test('Authorization: last one wins, CR removed', () => {
  assert.is(tokenOf('GET / HTTP/1.1\r\nAuthorization: Basic one\r\nAuthorization: Basic two\r\n\r\n'), 'two');
});

test('D6: header name and scheme in any case', () => {
  for (const header of ['authorization: basic tok', 'AUTHORIZATION: BASIC tok', 'Authorization: Basic tok']) {
    assert.is(tokenOf(`GET / HTTP/1.1\n${header}\n\n`), 'tok', header);
  }
  assert.is(tokenOf('GET / HTTP/1.1\nAuthorization: Bearer tok\nX-Authorization: Basic tok\n\n'), '');
});

test('NUL bytes are dropped like dash read drops them', () => {
  const parsed = parseRequestHead('GE\0T / HTTP/1.1\n\n');
  assert.is(parsed.kind === 'head' && parsed.requestLine, 'GET / HTTP/1.1');
});

test('incremental: 1-byte pushes give the same result as one chunk', () => {
  const bytes = 'GET /status HTTP/1.1\r\nHost: a\r\nauthorization: Basic dXNlcjpwYXNz\r\n\r\nBODY';
  const parser = new RequestHeadParser();
  let result = null;
  let at = -1;
  for (let i = 0; i < bytes.length && !result; i++) {
    result = parser.push(Buffer.from(bytes[i] as string, 'latin1'));
    at = i;
  }
  assert.equal(result, parseRequestHead(bytes));
  assert.is(at, bytes.indexOf('\r\n\r\n') + 3, 'completes on the LF of the empty line');
});

test('binary bytes survive as latin1', () => {
  const parsed = parseRequestHead(Buffer.from([0xff, 0xfe, 0x0a, 0x0a]));
  assert.is(parsed.kind === 'head' && parsed.requestLine, '\xff\xfe');
});

test('D17: request line over 8 KiB is too large, even before its LF arrives', () => {
  const parser = new RequestHeadParser();
  assert.is(parser.push('GET /' + 'a'.repeat(MAX_REQUEST_LINE - 10)), null);
  assert.equal(parser.push('a'.repeat(20)), { kind: 'too-large', part: 'request-line' });
  assert.equal(parseRequestHead('G'.repeat(MAX_REQUEST_LINE) + '\n\n').kind, 'head');
});

test('D17: header block over 64 KiB is too large', () => {
  const header = `X-Pad: ${'p'.repeat(1000)}\r\n`;
  const many = 'GET / HTTP/1.1\r\n' + header.repeat(Math.ceil(MAX_HEADER_BLOCK / header.length) + 1) + '\r\n';
  assert.equal(parseRequestHead(many), { kind: 'too-large', part: 'headers' });
});

test.run();
