// The exact response bytes of the originals (docs/behaviour.md §4 steps 4 and 6). Pure formatting:
// Content-Length counts bytes, not characters.
import { encode } from '../bytes.ts';

export const UNAUTHORIZED_BODY = '{"error":"unauthorized"}';

/** The 401 form, byte for byte (its header order differs from every other response). */
export function unauthorizedResponse(): Buffer {
  return Buffer.from(
    'HTTP/1.1 401 Unauthorized\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(UNAUTHORIZED_BODY)}\r\n` +
      'WWW-Authenticate: Basic realm="minimal", charset="UTF-8"\r\n' +
      'Connection: close\r\n' +
      '\r\n' +
      UNAUTHORIZED_BODY,
    'latin1',
  );
}

/** Every non-401 response: status line, type, length, `Connection: close`, body. */
export function formatResponse(statusLine: string, contentType: string, body: Buffer | string): Buffer {
  const bodyBytes = typeof body === 'string' ? encode(body) : body;
  const head = `HTTP/1.1 ${statusLine}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bodyBytes.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bodyBytes]);
}

export function jsonResponse(body: string): Buffer {
  return formatResponse('200 OK', 'application/json', body);
}

/** The status page (STATUS_PAGE=1, docs/behaviour.md §10). */
export function htmlResponse(body: string): Buffer {
  return formatResponse('200 OK', 'text/html; charset=utf-8', body);
}

export function notFoundResponse(): Buffer {
  return formatResponse('404 Not Found', 'text/plain', 'Not found\n');
}

/** [D17] Oversized request line or header block: the originals would buffer without limit. */
export function tooLargeResponse(part: 'request-line' | 'headers'): Buffer {
  return part === 'request-line'
    ? formatResponse('414 URI Too Long', 'text/plain', 'Request line too long\n')
    : formatResponse('431 Request Header Fields Too Large', 'text/plain', 'Request header fields too large\n');
}
