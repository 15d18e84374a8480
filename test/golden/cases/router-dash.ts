// What the router inherits from dash 0.5.12 (docs/behaviour.md §9, §2, §3, §4): pathname expansion of
// VOLUMES words, `read` on AUTH_FILE, request and header lines, printf %b in log lines, the
// base64 helper's raw bytes, and arguments.
//
// Glob cases read a tree made under /mnt/vol2/g. Its entries are symlinks to distinct mounts,
// so the order and the set of matches show in the /disk body (df reports a symlink's target):
//   a -> /mnt/vol1   B -> /proc   _x -> /sys   é -> /proc   .h -> /sys   ld -> /sys
//   c/ (directory on vol2)   f (file on vol2)   lf -> f   b* -> /proc
//   `b\*`, `[.]h` (files on vol2, named with those characters)   dangling -> /mnt/missing
import type { FileSpec, GoldenCase } from '../types.ts';
import { SANDBOX, authCase, b64, basic, get, latin1, logCase } from './_helpers.ts';

const G = `${SANDBOX.vol2}/g`;
const GLOB_TREE: FileSpec[] = [
  { path: G, dir: true },
  { path: `${G}/a`, symlink: SANDBOX.vol1 },
  { path: `${G}/B`, symlink: '/proc' },
  { path: `${G}/_x`, symlink: '/sys' },
  { path: `${G}/é`, symlink: '/proc' },
  { path: `${G}/.h`, symlink: '/sys' },
  { path: `${G}/ld`, symlink: '/sys' },
  { path: `${G}/c`, dir: true },
  { path: `${G}/f`, content: '' },
  { path: `${G}/lf`, symlink: 'f' },
  { path: `${G}/b*`, symlink: '/proc' },
  { path: `${G}/b\\*`, content: '' },
  { path: `${G}/[.]h`, content: '' },
];

/** GET /disk with VOLUMES over the glob tree. */
const g = (id: string, title: string, volumes: string, divergences?: string[]): GoldenCase => ({
  id,
  program: 'router',
  title,
  env: { VOLUMES: volumes },
  files: GLOB_TREE,
  stdin: get('/disk'),
  ...(divergences ? { divergences } : {}),
});

const TOKEN = b64('user:pass');

/** A router log case: the URL carries the escapes into `log info "<url> -> <code>"` [D15]. */
const l = (id: string, title: string, url: string): GoldenCase => logCase(id, title, url, ['D15']);

export const cases: GoldenCase[] = [
  // ---- pathname expansion of VOLUMES words (§4.8, §9)
  g('router-glob-order', "§9 `*`: every entry not starting with `.`, in dash's bytewise order (B, _x, a, ..., é)", `${G}/*`),
  g('router-glob-dot-star', '§9 `.*` matches `.` and `..` as well as `.h`', `${G}/.*`),
  g('router-glob-dot-question', '§9 `.?` matches `..` and `.h`, not `.`', `${G}/.?`),
  g('router-glob-no-leading-dot', '§9 `[.]h` cannot match the leading dot of `.h`: the word stays (the file named `[.]h`)', `${G}/[.]h`),
  g('router-glob-trailing-slash', '§9 a trailing `/`: directories only, symlinks to directories included', `${G}/*/`),
  g('router-glob-trailing-slash-links', '§9 `l*/` keeps the link to a directory, drops the link to a file', `${G}/l*/`),
  g('router-glob-links', '§9 `l*` without the slash: both links', `${G}/l*`),
  g('router-glob-bang', '§9 `[!a]` negates: single-byte names other than `a`', `${G}/[!a]`),
  g('router-glob-caret', '§9 `^` is an ordinary character inside brackets: `[^a]` matches `a` only', `${G}/[^a]`),
  g('router-glob-question-byte', '§9 `?` is one byte: `é` (two bytes in UTF-8) is not matched', `${G}/?`),
  g('router-glob-class', '§9 `[[:upper:]]` (C locale)', `${G}/[[:upper:]]`),
  g('router-glob-range', '§9 `[a-c]`: `B` is outside the range', `${G}/[a-c]`),
  g('router-glob-escaped-letter', '§9 a backslash escapes in a pattern: `\\a*` matches `a`', `${G}/\\a*`),
  g(
    'router-glob-escaped-star-only',
    '§9 only an escaped `*`: no pattern, the word stays as written (the file `b\\*`, not the link `b*`)',
    `${G}/b\\*`,
  ),
  g('router-glob-dir-component', '§9 a pattern in a directory component: `/mnt/vol*/` and `/mnt/v?l1`', '/mnt/vol*/ /mnt/v?l1'),
  g('router-glob-no-match', '§9 no match leaves the word; df cannot resolve it [D2]', `${G}/zz*`, ['D2']),
  g('router-glob-double-slash', '§9 components before the pattern are kept as written: `//`', `/mnt//vol2/g/[c]`),
  {
    ...g(
      'router-glob-dangling-link',
      '§9 `dang*` matches a dangling symlink (readdir), df cannot resolve it; `/mnt/vol1` after it is never reached [D2]',
      `${G}/dang* ${SANDBOX.vol1}`,
      ['D2'],
    ),
    files: [...GLOB_TREE, { path: `${G}/dangling`, symlink: '/mnt/missing' }],
  },

  // ---- dash `read` (§4.1-§4.3, §9)
  authCase(
    'router-auth-nul-in-file',
    '§9 read drops NUL bytes: the AUTH_FILE line `us\\0er:pass` is `user:pass`',
    latin1('us\0er:pass\n'),
    get('/status', [basic(b64('user:pass'))]),
  ),
  authCase(
    'router-auth-nul-only-line',
    '§9 a line of NUL bytes is empty after read: no token, so no auth required; the port refuses [D41]',
    latin1('\0\0\n'),
    get('/status'),
    { divergences: ['D41'] },
  ),
  authCase(
    'router-auth-spaces-tabs-backslashes',
    '§9 IFS= read -r keeps leading/trailing spaces, tabs and backslashes in the line',
    latin1(' us\ter:pa\\ss \n'),
    get('/status', [basic(b64(' us\ter:pa\\ss '))]),
  ),
  authCase(
    'router-auth-spaces-trimmed-refused',
    '§9 the token of the trimmed line is refused: the spaces are part of the line',
    latin1(' user:pass \n'),
    get('/status', [basic(b64('user:pass'))]),
  ),
  authCase(
    'router-auth-raw-bytes',
    '§3 a line that is not UTF-8 (\\xe9\\xff) is encoded from its raw bytes: 6f8=',
    latin1('\xe9\xff\n'),
    get('/status', [basic('6f8=')]),
  ),
  {
    id: 'router-request-line-nul',
    program: 'router',
    title: '§9 read drops NUL bytes from the request line: `GE\\0T /status` routes to /status',
    stdin: latin1('GE\0T /sta\0tus HTTP/1.1\r\nHost: probe\r\n\r\n'),
  },
  authCase(
    'router-header-nul',
    '§9 read drops NUL bytes from header lines: the name and the token are read without them',
    'user:pass\n',
    latin1(`GET /status HTTP/1.1\r\nAuthori\0zation: Basic dXNl\0cjpwYXNz\r\n\r\n`),
  ),
  authCase(
    'router-header-nul-cr-ends-headers',
    '§9 a header line `\\0\\r` is a bare CR after read: the header block ends, later lines are not read',
    'user:pass\n',
    latin1(`GET /status HTTP/1.1\r\n\0\r\n${basic(TOKEN)}\r\n\r\n`),
  ),
  authCase(
    'router-header-token-trailing-space',
    '§9 read -r keeps a trailing space and a backslash in the token: both refused',
    'user:pass\n',
    get('/status', [basic(`${TOKEN} `)]),
  ),
  authCase(
    'router-header-token-backslash',
    '§9 read -r: a backslash in a header line stays (an AUTH_FILE line with a backslash matches its exact token)',
    'a\\b:c\n',
    get('/status', [basic(b64('a\\b:c'))]),
  ),

  // ---- printf %b in log lines (§2, §8)
  l('log-nul-continues', '§2 `\\0` not followed by an octal digit writes a NUL byte and the line goes on', 'http://127.0.0.2:8080/a\\0z'),
  l('log-octal-zero-nul', '§2 `\\0000` is a NUL byte too; the line goes on', 'http://127.0.0.2:8080/a\\0000z'),
  l('log-hex-unicode-kept', '§2 `\\x41` and `\\u00e9` are left as they are (dash knows neither)', 'http://127.0.0.2:8080/\\x41\\u00e9'),
  l(
    'log-escape-e',
    '§2 `\\e` is ESC; `\\e[0m` is not the text `\\033[0m`, so it is not replaced by the level colour',
    'http://127.0.0.2:8080/\\e[0mz',
  ),
  l('log-octal-high-byte', '§2 `\\0351` writes the byte 0xe9 as it is (not UTF-8)', 'http://127.0.0.2:8080/\\0351'),

  // ---- arguments (§9, D19 is only --help/--version)
  {
    id: 'router-arg-h',
    program: 'router',
    title: '§9 `-h` is ignored like any argument: the request is answered',
    args: ['-h'],
    stdin: get('/status'),
  },
  { id: 'base64-arg-h', program: 'base64', title: '§9 `base64 -h` is another mode word: no output, exit 0', args: ['-h'] },
  { id: 'base64-encode-dash-h', program: 'base64', title: '§3 `encode -h` encodes the text `-h`', args: ['encode', '-h'] },
  { id: 'base64-extra-arguments', program: 'base64', title: '§3 base64 reads only its first two arguments', args: ['encode', 'ab', 'cd'] },
  {
    id: 'base64-encode-alternating-blocks',
    program: 'base64',
    title: '§3 blocks a,b,a of 16 bytes: no two equal consecutive lines, correct',
    args: ['encode', `${'a'.repeat(16)}${'b'.repeat(16)}${'a'.repeat(16)}`],
  },
  {
    id: 'base64-encode-two-collapsed-runs',
    program: 'base64',
    title: '§3 od collapses each run: 2 × a-block then 2 × b-block encode as one of each [D10]',
    args: ['encode', `${'a'.repeat(32)}${'b'.repeat(32)}`],
    divergences: ['D10'],
  },
];
