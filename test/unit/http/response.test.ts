import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResponse, notFoundResponse, unauthorizedResponse } from '../../../src/http/response.ts';

test('401 form, byte for byte', () => {
  assert.is(
    unauthorizedResponse().toString('latin1'),
    'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: 24\r\n' +
      'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\nConnection: close\r\n\r\n{"error":"unauthorized"}',
  );
});

test('404 form', () => {
  assert.is(
    notFoundResponse().toString('latin1'),
    'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\nConnection: close\r\n\r\nNot found\n',
  );
});

test('Content-Length counts bytes, not characters', () => {
  const response = formatResponse('200 OK', 'application/json', '{"mount":"/mnt/è"}');
  assert.ok(response.toString('latin1').includes('Content-Length: 19\r\n'));
});

test.run();
