// Router cases (docs/behaviour.md §4): one HTTP exchange on stdin/stdout per run.
import type { Bytes, GoldenCase } from '../types.ts';
import { AUTH_PATH, HANGING, SANDBOX, TARGETS, TOKEN_USER_PASS, authCase, authFile, b64, basic, get, latin1 } from './_helpers.ts';

const VOLS = { VOLUMES: `${SANDBOX.vol1} ${SANDBOX.vol2}` };
const AUTH = { AUTH_FILE: AUTH_PATH };
const UP = 'user:pass\n';
const OK = basic(TOKEN_USER_PASS);
const r = (c: Omit<GoldenCase, 'program'>): GoldenCase => ({ program: 'router', ...c });

export const cases: GoldenCase[] = [
  // ---- routes (§4.5, §4.6, §4.7, §4.9)
  r({ id: 'router-status-empty', title: '§4.7 no URLS: {"checks":[],...}, Content-Length 42 (§4 example)', stdin: get('/status') }),
  r({ id: 'router-root-summary', title: '§4.9 GET / with two tmpfs volumes and no URLS', env: VOLS, stdin: get('/') }),
  r({ id: 'router-disk-tmpfs', title: '§4.8 GET /disk: two tmpfs of fixed size, figures as df -P', env: VOLS, stdin: get('/disk') }),
  r({
    id: 'router-root-no-version',
    title: '§4.5 `GET / ` prefix: anything after the space still routes to the summary',
    env: { VOLUMES: SANDBOX.vol1 },
    stdin: 'GET / whatever\r\n\r\n',
  }),
  r({ id: 'router-404-unknown-path', title: '§4.5 unknown path: 404 text/plain `Not found\\n`', stdin: get('/nope') }),
  r({ id: 'router-404-query-string', title: '§4.5 a query string gives 404', stdin: get('/status?x') }),
  r({
    id: 'router-version',
    title: 'D19 `--version`: the originals ignore arguments and answer the request; the port prints its version',
    args: ['--version'],
    stdin: get('/status'),
    divergences: ['D19'],
  }),
  // §4.2, §4.3, §4.5 the request alone decides: [id, title, stdin]
  ...(
    [
      ['router-404-head', '§4.5 HEAD gives 404', 'HEAD /status HTTP/1.1\r\n\r\n'],
      ['router-404-post', '§4.5 POST gives 404 (the body is never read)', 'POST /status HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello'],
      ['router-404-no-version', '§4.5 `GET /status` without a version gives 404', 'GET /status\r\n\r\n'],
      ['router-404-lowercase-method', '§4.5 method is case-sensitive', 'get /status HTTP/1.1\r\n\r\n'],
      ['router-404-path-case', '§4.5 path is case-sensitive', get('/Status')],
      ['router-404-empty-request-line', '§4.5 an empty request line (CR only) gives 404', '\r\n\r\n'],
      ['router-bare-lf', '§4.5 bare-LF line endings work like CRLF', 'GET /status HTTP/1.1\nHost: probe\n\n'],
      ['router-eof-before-line', '§4.2 EOF before a complete request line: nothing written, exit 0', 'GET /status HTTP/1.1'],
      ['router-empty-stdin', '§4.2 empty stdin: nothing written, exit 0', ''],
      ['router-headers-until-eof', '§4.3 headers end at EOF too: the answer still comes', 'GET /status HTTP/1.1\r\nHost: probe\r\n'],
      ['router-body-ignored', '§4.3 the request body is never read', `${get('/status', ['Content-Length: 11'])}hello world`],
    ] as const
  ).map(([id, title, stdin]) => r({ id, title, stdin })),
  r({ id: 'router-404-longer-path', title: '§4.5 `GET /disk/x` is not `GET /disk `', env: VOLS, stdin: get('/disk/x') }),

  // ---- URL checks (§4.7, D1)
  // §4.7 one URL check per entry: [id, title, URLS, TIMEOUT, what else the case needs]
  ...(
    [
      [
        'router-status-three-checks',
        '§4 example: checks 200, 404, refused (code 000, time 0) [D1]',
        'http://127.0.0.2:8080/ok http://127.0.0.3:8080/missing http://127.0.0.1:1/x',
        '2',
        { peers: TARGETS, divergences: ['D1'] },
      ],
      [
        'router-status-all-ok',
        '§4.7 200 and 500: ok counts codes 2xx/3xx only',
        'http://127.0.0.2:8080/ http://127.0.0.4:8080/',
        '2',
        { peers: TARGETS },
      ],
      [
        'router-status-redirect',
        '§4.7 a 302 is ok and is not followed (the Location target gets no request)',
        'http://127.0.0.5:8080/old',
        '2',
        { peers: TARGETS },
      ],
      [
        'router-status-timeout',
        '§4.7 a URL that never answers: code 000 after TIMEOUT [D1]',
        'http://127.0.0.7:8080/slow',
        '1',
        { peers: [HANGING], divergences: ['D1'] },
      ],
      [
        'router-status-dns-error',
        '§4.7 a name that does not resolve: code 000 [D1]',
        'http://nx.sentinella.test:8080/',
        '2',
        { divergences: ['D1'] },
      ],
      ['router-status-https', '§4.7 https with the host CA store (the test CA): 200', 'https://api.telegram.org/health', '2', {}],
      [
        'router-status-url-with-quote',
        '§4.7 the URL is inserted without escaping: a `"` breaks the JSON [D15]',
        'http://127.0.0.2:8080/a"b',
        '2',
        { peers: TARGETS, divergences: ['D15'] },
      ],
      [
        'router-status-tls-error',
        '§4.7 https whose certificate does not match the name: code 000 [D1]',
        'https://wrong.sentinella.test/',
        '2',
        { hosts: ['127.0.0.1 wrong.sentinella.test'], divergences: ['D1'] },
      ],
      [
        'router-timeout-not-a-number',
        'TIMEOUT=abc with a URL to check [D14]',
        'http://127.0.0.2:8080/',
        'abc',
        { peers: TARGETS, divergences: ['D14'] },
      ],
    ] as const satisfies readonly (readonly [string, string, string, string, Partial<GoldenCase>])[]
  ).map(([id, title, URLS, TIMEOUT, more]) => r({ id, title, env: { URLS, TIMEOUT }, ...more, stdin: get('/status') })),
  r({
    id: 'router-root-with-checks',
    title: '§4.9 summary with a check and a volume',
    env: { URLS: 'http://127.0.0.2:8080/', TIMEOUT: '2', VOLUMES: SANDBOX.vol2 },
    peers: TARGETS,
    stdin: get('/'),
  }),

  // ---- volumes (§4.8, D2)
  r({ id: 'router-disk-proc', title: '§4.8 /proc: 0,0,0 and capacity `-`', env: { VOLUMES: '/proc' }, stdin: get('/disk') }),
  r({
    id: 'router-disk-non-mount',
    title: '§4.8 a path that is not a mount point reports its file system',
    env: { VOLUMES: SANDBOX.vol2Sub },
    stdin: get('/disk'),
  }),
  r({
    id: 'router-disk-glob',
    title: '§4.8 words are glob-expanded: /mnt/vol* and /pro*',
    env: { VOLUMES: '/mnt/vol* /pro*' },
    stdin: get('/disk'),
  }),
  r({
    id: 'router-disk-whitespace',
    title: '§4.8 VOLUMES split on any whitespace, order kept',
    env: { VOLUMES: ` ${SANDBOX.vol2}\t${SANDBOX.vol1}\n/proc ` },
    stdin: get('/disk'),
  }),
  r({
    id: 'router-disk-missing',
    title: '§4.8 a missing path kills the router: /disk gets no response [D2]',
    env: { VOLUMES: `${SANDBOX.vol1} /mnt/missing` },
    stdin: get('/disk'),
    divergences: ['D2'],
  }),
  r({
    id: 'router-summary-missing-volume',
    title: '§4.8 a missing path truncates the summary [D2]',
    env: { VOLUMES: `${SANDBOX.vol1} /mnt/missing` },
    stdin: get('/'),
    divergences: ['D2'],
  }),
  r({
    id: 'router-disk-default',
    title: '§4.8 default VOLUMES: every mount df -P lists (host-dependent: sides compared)',
    stdin: get('/disk'),
    compare: 'sides',
  }),
  r({
    id: 'router-disk-empty-volumes',
    title: '§4.8 VOLUMES set but empty (host-dependent: sides compared)',
    env: { VOLUMES: '' },
    stdin: get('/disk'),
    compare: 'sides',
  }),

  // ---- auth (§4.1, §4.3, §4.4, D6, D8, D10)
  // §4.1, §4.3, §4.4 one AUTH_FILE content and the Authorization lines of a `GET /status`: [id, title, file, headers, divergence]
  ...(
    [
      ['router-auth-ok', '§4.1 a matching token', UP, [OK]],
      ['router-auth-missing-header', '§4.4 tokens exist, no header: the exact 401', UP, []],
      ['router-auth-wrong-token', '§4.4 a wrong token: 401', UP, [basic(b64('user:wrong'))]],
      ['router-auth-second-user', '§4.1 every line is a token: the second user is accepted', 'admin:secret\nuser:pass\n', [OK]],
      ['router-auth-crlf-file', '§4.1 a CRLF file: the CR stays in the line, the usual token is refused', latin1('user:pass\r\n'), [OK]],
      [
        'router-auth-crlf-token',
        '§4.1 a CRLF file: the token of `user:pass\\r` matches',
        latin1('user:pass\r\n'),
        [basic(b64('user:pass\r'))],
      ],
      ['router-auth-no-trailing-newline', '§4.1 the last line counts without a trailing newline', 'admin:secret\nuser:pass', [OK]],
      [
        'router-auth-empty-lines',
        '§4.1 empty lines are not tokens: an empty presented token is refused',
        '\n\nuser:pass\n\n',
        ['Authorization: Basic '],
      ],
      ['router-auth-empty-lines-ok', '§4.1 empty lines around a token: the token works', '\n\nuser:pass\n\n', [OK]],
      ['router-auth-last-header-wins', '§4.3 the last Authorization line wins (bad then good: 200)', UP, [basic('bad'), OK]],
      ['router-auth-last-header-wins-bad', '§4.3 the last Authorization line wins (good then bad: 401)', UP, [OK, basic('bad')]],
      ['router-auth-trailing-space', '§4.4 exact comparison: a trailing space in the token is refused', UP, [`${OK} `]],
      [
        'router-auth-lowercase-header',
        '§4.3 `authorization:` in lower case is ignored: 401 [D6]',
        UP,
        [`authorization: Basic ${TOKEN_USER_PASS}`],
        'D6',
      ],
      ['router-auth-empty-file', '§4.1 an empty AUTH_FILE gives no tokens: no auth required; the port refuses [D41]', '', [], 'D41'],
      [
        'router-auth-only-empty-lines',
        '§4.1 a file of empty lines gives no tokens: no auth required; the port refuses [D41]',
        '\n\n\n',
        [],
        'D41',
      ],
      [
        'router-auth-scheme-lowercase',
        '§4.3 only `Authorization: Basic ` is read: `basic` in lower case is not [D6]',
        UP,
        [`Authorization: basic ${TOKEN_USER_PASS}`],
        'D6',
      ],
      [
        'router-auth-repeated-blocks',
        '§3 a password with repeated 16-byte blocks: the correct token is refused [D10]',
        `${'a'.repeat(32)}\n`,
        [basic(b64('a'.repeat(32)))],
        'D10',
      ],
    ] as const satisfies readonly (readonly [string, string, Bytes, readonly string[], string?])[]
  ).map(([id, title, file, headers, d]) => authCase(id, title, file, get('/status', headers), d ? { divergences: [d] } : {})),
  authCase('router-auth-401-any-path', '§4.4 401 comes before routing: an unknown path gets 401, not 404', UP, get('/nope')),
  authCase('router-auth-bare-lf', '§4.3 bare-LF request with a good token', UP, `GET /status HTTP/1.1\n${OK}\n\n`),
  authCase(
    'router-auth-header-at-eof',
    '§8 an Authorization line with no LF at EOF is never read: 401',
    UP,
    `GET /status HTTP/1.1\r\n${OK}`,
  ),
  r({
    id: 'router-auth-file-var-empty',
    title: '§4.1 AUTH_FILE set to the empty string counts as unset',
    env: { AUTH_FILE: '' },
    stdin: get('/status'),
  }),
  r({
    id: 'router-auth-good-token-with-checks',
    title: '§4.1 an accepted request runs its URL checks',
    env: { ...AUTH, URLS: 'http://127.0.0.2:8080/', TIMEOUT: '2' },
    files: [authFile('user:pass\n')],
    peers: TARGETS,
    stdin: get('/status', [basic(TOKEN_USER_PASS)]),
  }),
  r({
    id: 'router-auth-missing-file',
    title: '§4.1 AUTH_FILE names a missing file: no auth required [D8]',
    env: { AUTH_FILE: `${SANDBOX.work}/no-such-file` },
    stdin: get('/status'),
    divergences: ['D8'],
  }),
  r({
    id: 'router-auth-unreadable',
    title: '§4.1 AUTH_FILE unreadable (mode 000, run as nobody): auth off [D8]',
    env: AUTH,
    files: [authFile('user:pass\n', 0o000)],
    runAs: 'nobody',
    stdin: get('/status'),
    divergences: ['D8'],
  }),
  r({
    id: 'router-auth-directory',
    title: '§4.1 AUTH_FILE is a directory (unreadable as a file) [D8]',
    env: { AUTH_FILE: SANDBOX.home },
    stdin: get('/status'),
    divergences: ['D8'],
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
