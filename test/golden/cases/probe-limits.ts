// Size limits of the port's request-head parser [D17] (added by probe-port): the originals
// read any request line and any header block to the end; the port answers 414 / 431.
import type { GoldenCase } from '../types.ts';
import { latin1 } from '../types.ts';

const LONG_TARGET = `/status ${'a'.repeat(9000)}`;
const PAD = `X-Pad: ${'p'.repeat(1017)}\r\n`; // 1026 bytes a line, 70 lines > 64 KiB

/** One request of `bytes` to a probe on `port`. */
const probeCase = (id: string, title: string, port: string, bytes: string, divergences?: string[]): GoldenCase => ({
  id,
  program: 'probe',
  title,
  env: { PORT: port },
  requests: [{ send: bytes }],
  ...(divergences ? { divergences } : {}),
});

export const cases: GoldenCase[] = [
  probeCase(
    'probe-request-line-too-long',
    '§4.5 a 9 KiB request line starting `GET /status `: the originals answer the status, the port 414 [D17]',
    '6020',
    `GET ${LONG_TARGET} HTTP/1.1\r\nHost: probe\r\n\r\n`,
    ['D17'],
  ),
  probeCase(
    'probe-header-block-too-large',
    '§4.3 a 70 KiB header block: the originals read it all and answer, the port 431 [D17]',
    '6021',
    `GET /status HTTP/1.1\r\n${PAD.repeat(70)}\r\n`,
    ['D17'],
  ),
  probeCase(
    'probe-headers-under-limit',
    "§4.3 a 60 KiB header block (under the port's limit): answered alike",
    '6022',
    `GET /status HTTP/1.1\r\n${PAD.repeat(58)}\r\n`,
  ),
  {
    id: 'router-nul-bytes-dropped',
    program: 'router',
    title: "§4.2 dash's read drops NUL bytes: `GE\\0T /status` routes as `GET /status`, a NUL inside the token is dropped too",
    env: { AUTH_FILE: '/mnt/sandbox/auth' },
    files: [{ path: '/mnt/sandbox/auth', content: 'user:pass\n' }],
    stdin: latin1('GE\0T /status HTTP/1.1\r\nAuthorization: Basic dXNl\0cjpwYXNz\r\n\r\n'),
  },
  {
    id: 'router-request-line-too-long',
    program: 'router',
    title: '§4.5 router: the same limit on stdin, 414 [D17]',
    stdin: `GET ${LONG_TARGET} HTTP/1.1\r\n\r\n`,
    divergences: ['D17'],
  },
];
