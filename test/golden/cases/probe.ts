// probe cases (docs/behaviour.md §5): the program listens; each request is its own TCP connection.
import type { GoldenCase } from '../types.ts';
import { AUTH_PATH, HANGING, SANDBOX, TARGETS, TOKEN_USER_PASS, authFile, get } from './_helpers.ts';

const p = (c: Omit<GoldenCase, 'program'>): GoldenCase => ({ program: 'probe', ...c });

export const cases: GoldenCase[] = [
  p({ id: 'probe-status-empty', title: '§5 GET /status through the listener (default PORT 5988)', requests: [{ send: get('/status') }] }),
  p({
    id: 'probe-several-requests',
    title: '§5 one request per connection; routes, 404 and bare LF on one probe',
    env: { PORT: '6001', VOLUMES: SANDBOX.vol1 },
    requests: [{ send: get('/') }, { send: get('/disk') }, { send: get('/nope') }, { send: 'GET /status HTTP/1.1\n\n' }],
  }),
  p({
    id: 'probe-split-request',
    title: '§5 a request split into small pieces with pauses',
    env: { PORT: '6002' },
    requests: [{ send: ['GE', { pauseMs: 100 }, 'T /sta', { pauseMs: 100 }, 'tus HTTP/1.1\r', { pauseMs: 100 }, '\n\r\n'] }],
  }),
  p({
    id: 'probe-incomplete-request',
    title: '§5 -T5: a request line that never completes is closed after 5 s with no answer',
    env: { PORT: '6003' },
    requests: [{ send: 'GET /status HTT', readTimeoutMs: 9000 }],
  }),
  p({
    id: 'probe-half-close',
    title: '§4.2 the client half-closes before the request line ends: no answer',
    env: { PORT: '6004' },
    requests: [{ send: 'GET /status HTTP/1.1', halfClose: true }],
  }),
  p({
    id: 'probe-checks-log',
    title: "§5 the router's log lines reach the probe's stderr",
    env: { PORT: '6005', URLS: 'http://127.0.0.2:8080/ http://127.0.0.3:8080/', TIMEOUT: '2' },
    peers: TARGETS,
    requests: [{ send: get('/status') }],
  }),
  p({
    id: 'probe-auth',
    title: '§4.1 auth through the probe: no token 401, good token 200, file edited: new token works',
    env: { PORT: '6006', AUTH_FILE: AUTH_PATH },
    files: [authFile('user:pass\n')],
    requests: [
      { send: get('/status') },
      { send: get('/status', [`Authorization: Basic ${TOKEN_USER_PASS}`]) },
      { send: get('/status', ['Authorization: Basic b3RoZXI6b25l']), writeFiles: [authFile('other:one\n')] },
      { send: get('/status', [`Authorization: Basic ${TOKEN_USER_PASS}`]) },
    ],
  }),
  p({
    id: 'probe-status-hanging-url',
    title: '§5 D11: a URL hanging for the default TIMEOUT 5 s: socat closes first, no answer [D11]',
    env: { PORT: '6007', URLS: 'http://127.0.0.7:8080/slow' },
    peers: [HANGING],
    requests: [{ send: get('/status'), readTimeoutMs: 9000 }],
    divergences: ['D11'],
  }),
  p({
    id: 'probe-disk-missing',
    title: '§4.8 a missing VOLUMES path: the connection closes empty [D2]',
    env: { PORT: '6008', VOLUMES: `${SANDBOX.vol1} /mnt/missing` },
    requests: [{ send: get('/disk') }, { send: get('/') }],
    divergences: ['D2'],
  }),
  p({
    id: 'probe-port-in-use',
    title: '§5 the port already in use: an error line, exit 1 [D16]',
    env: { PORT: '6009' },
    occupyPort: 6009,
    divergences: ['D16'],
  }),
  p({ id: 'probe-port-not-a-number', title: 'PORT=abc [D14]', env: { PORT: 'abc' }, divergences: ['D14'] }),
  p({
    id: 'probe-port-octal',
    title: '§5 PORT=06104: socat reads it as octal and listens on 3140; the port listens on 6104 [D23]',
    env: { PORT: '06104' },
    requests: [
      { send: get('/status'), port: 3140 },
      { send: get('/status'), port: 6104 },
    ],
    divergences: ['D23'],
  }),
  p({
    id: 'probe-status-hanging-url-timeout-8',
    title: '§5 TIMEOUT=8 and a URL that never answers: the idle limit ends the router silently [D11]',
    env: { PORT: '6011', URLS: 'http://127.0.0.7:8080/slow', TIMEOUT: '8' },
    peers: [HANGING],
    requests: [{ send: get('/status'), readTimeoutMs: 9000 }],
    divergences: ['D11'],
  }),
  p({
    id: 'probe-arg-h',
    title: '§9 `probe -h`: the argument is ignored, the probe listens and answers (only --help is D19)',
    args: ['-h'],
    env: { PORT: '6012' },
    requests: [{ send: get('/status') }],
  }),
  p({
    id: 'probe-binary-garbage',
    title: '§4.5 binary garbage as a request line: 404',
    env: { PORT: '6010' },
    requests: [{ send: { base64: Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13, 10]).toString('base64') } }],
  }),
];
