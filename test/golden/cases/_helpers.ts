// Small builders for golden cases (this file exports no `cases`, so the runner skips it).
import { SANDBOX } from '../sandbox/layout.ts';
import type { Bytes, FileSpec, GoldenCase, PeerSpec } from '../types.ts';
import { latin1 } from '../types.ts';
import type { CheckLine } from '../../../scripts/lib/peers.ts';

export { SANDBOX, latin1 };

/** A CRLF request with the given extra header lines. */
export function get(path: string, headers: readonly string[] = []): string {
  return `GET ${path} HTTP/1.1\r\nHost: probe\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

/** docs/behaviour.md §6 example: checks 200, 404 and refused (the last `000`, D1), as a peer's /status lists them. */
export const THREE_CHECK_LINES: readonly CheckLine[] = [
  { url: 'http://a/', code: '200', ok: true },
  { url: 'http://b/', code: '404', ok: false },
  { url: 'http://127.0.0.1:1/x', code: '000', ok: false },
];

export const TOKEN_USER_PASS = 'dXNlcjpwYXNz'; // base64('user:pass'), docs/behaviour.md §3
export const AUTH_PATH = `${SANDBOX.work}/auth`;

export function authFile(content: Bytes, mode?: number): FileSpec {
  return { path: AUTH_PATH, content, ...(mode === undefined ? {} : { mode }) };
}

export const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
export const basic = (token: string) => `Authorization: Basic ${token}`;

/** A router case whose AUTH_FILE holds `content`, sent `stdin` (docs/behaviour.md §4.1-§4.4); `more` adds fields. */
export const authCase = (id: string, title: string, content: Bytes, stdin: Bytes, more: Partial<GoldenCase> = {}): GoldenCase => ({
  id,
  program: 'router',
  title,
  env: { AUTH_FILE: AUTH_PATH },
  files: [authFile(content)],
  stdin,
  ...more,
});

/** URL-check targets for router cases: 127.0.0.2:8080 answers 200, .3 404, .4 500, .5 302. */
export const TARGETS: readonly PeerSpec[] = [
  { host: '127.0.0.2', port: 8080, answers: [{ kind: 'http', status: '200 OK', body: 'fine\n' }] },
  { host: '127.0.0.3', port: 8080, answers: [{ kind: 'http', status: '404 Not Found', body: 'nope\n' }] },
  { host: '127.0.0.4', port: 8080, answers: [{ kind: 'http', status: '500 Internal Server Error', body: 'boom\n' }] },
  {
    host: '127.0.0.5',
    port: 8080,
    answers: [
      {
        kind: 'raw',
        bytes: 'HTTP/1.1 302 Found\r\nLocation: http://127.0.0.6:8080/landing\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      },
    ],
  },
  { host: '127.0.0.6', port: 8080, answers: [{ kind: 'http', status: '200 OK', body: 'landing\n' }] },
];
export const HANGING: PeerSpec = { host: '127.0.0.7', port: 8080, answers: [{ kind: 'hang' }] };

/**
 * A router case whose URL carries text into the log line `<url> -> <code>` (docs/behaviour.md §2:
 * log prints through `%b`). A URL with a backslash is pasted raw into the legacy JSON body and
 * escaped by the port: such cases list D15.
 */
export const logCase = (id: string, title: string, url: string, divergences?: string[]): GoldenCase => ({
  id,
  program: 'router',
  title,
  env: { URLS: url, TIMEOUT: '2' },
  peers: TARGETS,
  stdin: get('/status'),
  ...(divergences ? { divergences } : {}),
});
