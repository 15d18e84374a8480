// Router cases (docs/behaviour.md §4): one HTTP exchange on stdin/stdout per run.
import type { GoldenCase } from '../types.ts';
import { AUTH_PATH, HANGING, SANDBOX, TARGETS, TOKEN_USER_PASS, authFile, b64, get, latin1 } from './_helpers.ts';

const VOLS = { VOLUMES: `${SANDBOX.vol1} ${SANDBOX.vol2}` };
const AUTH = { AUTH_FILE: AUTH_PATH };
const basic = (token: string) => `Authorization: Basic ${token}`;
const r = (c: Omit<GoldenCase, 'program'>): GoldenCase => ({ program: 'router', ...c });

export const cases: GoldenCase[] = [
  // ---- routes (§4.5, §4.6, §4.7, §4.9)
  r({ id: 'router-status-empty', title: '§4.7 no URLS: {"checks":[],...}, Content-Length 42 (§4 example)', stdin: get('/status') }),
  r({ id: 'router-root-summary', title: '§4.9 GET / with two tmpfs volumes and no URLS', env: VOLS, stdin: get('/') }),
  r({ id: 'router-disk-tmpfs', title: '§4.8 GET /disk: two tmpfs of fixed size, figures as df -P', env: VOLS, stdin: get('/disk') }),
  r({ id: 'router-root-no-version', title: '§4.5 `GET / ` prefix: anything after the space still routes to the summary', env: { VOLUMES: SANDBOX.vol1 }, stdin: 'GET / whatever\r\n\r\n' }),
  r({ id: 'router-404-unknown-path', title: '§4.5 unknown path: 404 text/plain `Not found\\n`', stdin: get('/nope') }),
  r({ id: 'router-404-query-string', title: '§4.5 a query string gives 404', stdin: get('/status?x') }),
  r({ id: 'router-version', title: 'D19 `--version`: the originals ignore arguments and answer the request; the port prints its version', args: ['--version'], stdin: get('/status'), divergences: ['D19'] }),
  r({ id: 'router-404-head', title: '§4.5 HEAD gives 404', stdin: 'HEAD /status HTTP/1.1\r\n\r\n' }),
  r({ id: 'router-404-post', title: '§4.5 POST gives 404 (the body is never read)', stdin: 'POST /status HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello' }),
  r({ id: 'router-404-no-version', title: '§4.5 `GET /status` without a version gives 404', stdin: 'GET /status\r\n\r\n' }),
  r({ id: 'router-404-lowercase-method', title: '§4.5 method is case-sensitive', stdin: 'get /status HTTP/1.1\r\n\r\n' }),
  r({ id: 'router-404-path-case', title: '§4.5 path is case-sensitive', stdin: get('/Status') }),
  r({ id: 'router-404-longer-path', title: '§4.5 `GET /disk/x` is not `GET /disk `', env: VOLS, stdin: get('/disk/x') }),
  r({ id: 'router-404-empty-request-line', title: '§4.5 an empty request line (CR only) gives 404', stdin: '\r\n\r\n' }),
  r({ id: 'router-bare-lf', title: '§4.5 bare-LF line endings work like CRLF', stdin: 'GET /status HTTP/1.1\nHost: probe\n\n' }),
  r({ id: 'router-eof-before-line', title: '§4.2 EOF before a complete request line: nothing written, exit 0', stdin: 'GET /status HTTP/1.1' }),
  r({ id: 'router-empty-stdin', title: '§4.2 empty stdin: nothing written, exit 0', stdin: '' }),
  r({ id: 'router-headers-until-eof', title: '§4.3 headers end at EOF too: the answer still comes', stdin: 'GET /status HTTP/1.1\r\nHost: probe\r\n' }),
  r({ id: 'router-body-ignored', title: '§4.3 the request body is never read', stdin: `${get('/status', ['Content-Length: 11'])}hello world` }),

  // ---- URL checks (§4.7, D1)
  r({
    id: 'router-status-three-checks',
    title: '§4 example: checks 200, 404, refused (code 000, time 0) [D1]',
    env: { URLS: 'http://127.0.0.2:8080/ok http://127.0.0.3:8080/missing http://127.0.0.1:1/x', TIMEOUT: '2' },
    peers: TARGETS,
    stdin: get('/status'),
    divergences: ['D1'],
  }),
  r({ id: 'router-status-all-ok', title: '§4.7 200 and 500: ok counts codes 2xx/3xx only', env: { URLS: 'http://127.0.0.2:8080/ http://127.0.0.4:8080/', TIMEOUT: '2' }, peers: TARGETS, stdin: get('/status') }),
  r({
    id: 'router-status-redirect',
    title: '§4.7 a 302 is ok and is not followed (the Location target gets no request)',
    env: { URLS: 'http://127.0.0.5:8080/old', TIMEOUT: '2' },
    peers: TARGETS,
    stdin: get('/status'),
  }),
  r({ id: 'router-status-timeout', title: '§4.7 a URL that never answers: code 000 after TIMEOUT [D1]', env: { URLS: 'http://127.0.0.7:8080/slow', TIMEOUT: '1' }, peers: [HANGING], stdin: get('/status'), divergences: ['D1'] }),
  r({ id: 'router-status-dns-error', title: '§4.7 a name that does not resolve: code 000 [D1]', env: { URLS: 'http://nx.sentinella.test:8080/', TIMEOUT: '2' }, stdin: get('/status'), divergences: ['D1'] }),
  r({ id: 'router-status-https', title: '§4.7 https with the host CA store (the test CA): 200', env: { URLS: 'https://api.telegram.org/health', TIMEOUT: '2' }, stdin: get('/status') }),
  r({ id: 'router-status-url-with-quote', title: '§4.7 the URL is inserted without escaping: a `"` breaks the JSON [D15]', env: { URLS: 'http://127.0.0.2:8080/a"b', TIMEOUT: '2' }, peers: TARGETS, stdin: get('/status'), divergences: ['D15'] }),
  r({
    id: 'router-status-tls-error',
    title: '§4.7 https whose certificate does not match the name: code 000 [D1]',
    env: { URLS: 'https://wrong.sentinella.test/', TIMEOUT: '2' },
    hosts: ['127.0.0.1 wrong.sentinella.test'],
    stdin: get('/status'),
    divergences: ['D1'],
  }),
  r({ id: 'router-root-with-checks', title: '§4.9 summary with a check and a volume', env: { URLS: 'http://127.0.0.2:8080/', TIMEOUT: '2', VOLUMES: SANDBOX.vol2 }, peers: TARGETS, stdin: get('/') }),
  r({ id: 'router-timeout-not-a-number', title: 'TIMEOUT=abc with a URL to check [D14]', env: { URLS: 'http://127.0.0.2:8080/', TIMEOUT: 'abc' }, peers: TARGETS, stdin: get('/status'), divergences: ['D14'] }),

  // ---- volumes (§4.8, D2)
  r({ id: 'router-disk-proc', title: '§4.8 /proc: 0,0,0 and capacity `-`', env: { VOLUMES: '/proc' }, stdin: get('/disk') }),
  r({ id: 'router-disk-non-mount', title: '§4.8 a path that is not a mount point reports its file system', env: { VOLUMES: SANDBOX.vol2Sub }, stdin: get('/disk') }),
  r({ id: 'router-disk-glob', title: '§4.8 words are glob-expanded: /mnt/vol* and /pro*', env: { VOLUMES: '/mnt/vol* /pro*' }, stdin: get('/disk') }),
  r({ id: 'router-disk-whitespace', title: '§4.8 VOLUMES split on any whitespace, order kept', env: { VOLUMES: ` ${SANDBOX.vol2}\t${SANDBOX.vol1}\n/proc ` }, stdin: get('/disk') }),
  r({ id: 'router-disk-missing', title: '§4.8 a missing path kills the router: /disk gets no response [D2]', env: { VOLUMES: `${SANDBOX.vol1} /mnt/missing` }, stdin: get('/disk'), divergences: ['D2'] }),
  r({ id: 'router-summary-missing-volume', title: '§4.8 a missing path truncates the summary [D2]', env: { VOLUMES: `${SANDBOX.vol1} /mnt/missing` }, stdin: get('/'), divergences: ['D2'] }),
  r({ id: 'router-disk-default', title: '§4.8 default VOLUMES: every mount df -P lists (host-dependent: sides compared)', stdin: get('/disk'), compare: 'sides' }),
  r({ id: 'router-disk-empty-volumes', title: '§4.8 VOLUMES set but empty (host-dependent: sides compared)', env: { VOLUMES: '' }, stdin: get('/disk'), compare: 'sides' }),

  // ---- auth (§4.1, §4.3, §4.4, D6, D8, D10)
  r({ id: 'router-auth-ok', title: '§4.1 a matching token', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-missing-header', title: '§4.4 tokens exist, no header: the exact 401', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status') }),
  r({ id: 'router-auth-wrong-token', title: '§4.4 a wrong token: 401', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [basic(b64('user:wrong'))]) }),
  r({ id: 'router-auth-401-any-path', title: '§4.4 401 comes before routing: an unknown path gets 401, not 404', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/nope') }),
  r({ id: 'router-auth-second-user', title: '§4.1 every line is a token: the second user is accepted', env: AUTH, files: [authFile('admin:secret\nuser:pass\n')], stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-crlf-file', title: '§4.1 a CRLF file: the CR stays in the line, the usual token is refused', env: AUTH, files: [authFile(latin1('user:pass\r\n'))], stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-crlf-token', title: '§4.1 a CRLF file: the token of `user:pass\\r` matches', env: AUTH, files: [authFile(latin1('user:pass\r\n'))], stdin: get('/status', [basic(b64('user:pass\r'))]) }),
  r({ id: 'router-auth-no-trailing-newline', title: '§4.1 the last line counts without a trailing newline', env: AUTH, files: [authFile('admin:secret\nuser:pass')], stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-empty-lines', title: '§4.1 empty lines are not tokens: an empty presented token is refused', env: AUTH, files: [authFile('\n\nuser:pass\n\n')], stdin: get('/status', ['Authorization: Basic ']) }),
  r({ id: 'router-auth-empty-lines-ok', title: '§4.1 empty lines around a token: the token works', env: AUTH, files: [authFile('\n\nuser:pass\n\n')], stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-last-header-wins', title: '§4.3 the last Authorization line wins (bad then good: 200)', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [basic('bad'), basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-last-header-wins-bad', title: '§4.3 the last Authorization line wins (good then bad: 401)', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [basic(TOKEN_USER_PASS), basic('bad')]) }),
  r({ id: 'router-auth-trailing-space', title: '§4.4 exact comparison: a trailing space in the token is refused', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [`${basic(TOKEN_USER_PASS)} `]) }),
  r({ id: 'router-auth-bare-lf', title: '§4.3 bare-LF request with a good token', env: AUTH, files: [authFile('user:pass\n')], stdin: `GET /status HTTP/1.1\n${basic(TOKEN_USER_PASS)}\n\n` }),
  r({ id: 'router-auth-header-at-eof', title: '§8 an Authorization line with no LF at EOF is never read: 401', env: AUTH, files: [authFile('user:pass\n')], stdin: `GET /status HTTP/1.1\r\n${basic(TOKEN_USER_PASS)}` }),
  r({ id: 'router-auth-lowercase-header', title: '§4.3 `authorization:` in lower case is ignored: 401 [D6]', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [`authorization: Basic ${TOKEN_USER_PASS}`]), divergences: ['D6'] }),
  r({ id: 'router-auth-empty-file', title: '§4.1 an empty AUTH_FILE gives no tokens: no auth required', env: AUTH, files: [authFile('')], stdin: get('/status') }),
  r({ id: 'router-auth-only-empty-lines', title: '§4.1 a file of empty lines gives no tokens: no auth required', env: AUTH, files: [authFile('\n\n\n')], stdin: get('/status') }),
  r({ id: 'router-auth-file-var-empty', title: '§4.1 AUTH_FILE set to the empty string counts as unset', env: { AUTH_FILE: '' }, stdin: get('/status') }),
  r({ id: 'router-auth-scheme-lowercase', title: '§4.3 only `Authorization: Basic ` is read: `basic` in lower case is not [D6]', env: AUTH, files: [authFile('user:pass\n')], stdin: get('/status', [`Authorization: basic ${TOKEN_USER_PASS}`]), divergences: ['D6'] }),
  r({ id: 'router-auth-good-token-with-checks', title: '§4.1 an accepted request runs its URL checks', env: { ...AUTH, URLS: 'http://127.0.0.2:8080/', TIMEOUT: '2' }, files: [authFile('user:pass\n')], peers: TARGETS, stdin: get('/status', [basic(TOKEN_USER_PASS)]) }),
  r({ id: 'router-auth-missing-file', title: '§4.1 AUTH_FILE names a missing file: no auth required [D8]', env: { AUTH_FILE: `${SANDBOX.work}/no-such-file` }, stdin: get('/status'), divergences: ['D8'] }),
  r({ id: 'router-auth-unreadable', title: '§4.1 AUTH_FILE unreadable (mode 000, run as nobody): auth off [D8]', env: AUTH, files: [authFile('user:pass\n', 0o000)], runAs: 'nobody', stdin: get('/status'), divergences: ['D8'] }),
  r({ id: 'router-auth-directory', title: '§4.1 AUTH_FILE is a directory (unreadable as a file) [D8]', env: { AUTH_FILE: SANDBOX.home }, stdin: get('/status'), divergences: ['D8'] }),
  r({
    id: 'router-auth-repeated-blocks',
    title: '§3 a password with repeated 16-byte blocks: the correct token is refused [D10]',
    env: AUTH,
    files: [authFile(`${'a'.repeat(32)}\n`)],
    stdin: get('/status', [basic(b64('a'.repeat(32)))]),
    divergences: ['D10'],
  }),
  r({
    id: 'router-auth-401-checks-nothing',
    title: '§4.4 a refused request runs no URL check (the target gets no request)',
    env: { ...AUTH, URLS: 'http://127.0.0.2:8080/' },
    files: [authFile('user:pass\n')],
    peers: TARGETS,
    stdin: get('/status'),
  }),
];
