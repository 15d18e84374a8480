// More of what the originals inherit from dash and curl (docs/behaviour.md §4.7, §6 a, §6 d, §9):
// the router's unquoted `for url in $URLS` (pathname expansion against the working directory,
// then curl's own globs), the watcher's `last=$(cat <state file>)` (NUL bytes dropped), and
// PEERS_SCHEME naming a protocol other than http(s) (curl waits for an FTP greeting; D39).
//
// The program's working directory is SANDBOX.work (/mnt/sandbox): files made there are what a
// relative URLS word matches.
import type { GoldenCase } from '../types.ts';
import { SANDBOX, TARGETS, get, latin1 } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const at = (name: string) => `${SANDBOX.work}/${name}`;

const NAME = 'peers.sentinella.test';
const NO_URLS: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([]) };
/** One peer, 127.0.0.2 (127.0.0.1 is SELF). */
const ONE_PEER = { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2'] } } };

export const cases: GoldenCase[] = [
  // ---- URLS words: dash's pathname expansion, from the working directory (§4.7, §9)
  {
    id: 'router-urls-glob',
    program: 'router',
    title:
      '§4.7 §9 `for url in $URLS` is unquoted: `127.0.0.[2-3]:8080` becomes the two matching files of the cwd (each a URL); words matching nothing (`none*`, a query `?`) stay as written',
    env: { URLS: '127.0.0.[2-3]:8080 http://127.0.0.2:8080/none* http://127.0.0.2:8080/q?x=1', TIMEOUT: '2' },
    files: [
      { path: at('127.0.0.2:8080'), content: '' },
      { path: at('127.0.0.3:8080'), content: '' },
    ],
    peers: TARGETS,
    stdin: get('/status'),
  },
  {
    id: 'router-urls-glob-then-curl',
    program: 'router',
    title:
      "§4.7 §9 dash expands first, curl reads its globs in the result: `127.0.0.2:8080/{o*` matches the file `{ok}` and curl asks /ok; `[1-1]` matching no file stays and curl asks /1 (D29's single expansion)",
    env: { URLS: '127.0.0.2:8080/{o* http://127.0.0.2:8080/[1-1]', TIMEOUT: '2' },
    files: [
      { path: at('127.0.0.2:8080'), dir: true },
      { path: at('127.0.0.2:8080/{ok}'), content: '' },
    ],
    peers: TARGETS,
    stdin: get('/status'),
  },
  {
    id: 'probe-urls-glob',
    program: 'probe',
    title:
      "§5 §4.7 the probe's URLS words are expanded in the probe's cwd (socat's EXEC keeps it), again on every request: a file added between two requests is one more check",
    env: { PORT: '6201', URLS: '127.0.0.[2-4]:8080', TIMEOUT: '2' },
    files: [{ path: at('127.0.0.2:8080'), content: '' }],
    peers: TARGETS,
    requests: [{ send: get('/status') }, { send: get('/status'), writeFiles: [{ path: at('127.0.0.4:8080'), content: '' }] }],
  },

  // ---- the last state through `$(cat ...)`: NUL bytes dropped, then trailing newlines (§6 d, §9)
  {
    id: 'watcher-state-nul-bytes',
    program: 'watcher',
    title:
      '§6 d §9 `$(cat <state file>)` drops NUL bytes: `up:0/0:200\\0\\n\\0` equals the current state (nothing sent, file untouched), `do\\0wn:0/0:000` reads as `down:0/0:000` (notified, rewritten)',
    env: WATCHER_ENV,
    files: [
      // cksum of http://127.0.0.2:5988 and of http://127.0.0.3:5988
      { path: `${SANDBOX.state}/428259130.state`, content: latin1('up:0/0:200\0\n\0') },
      { path: `${SANDBOX.state}/1456594731.state`, content: latin1('do\0wn:0/0:000') },
    ],
    dns: { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2', '127.0.0.3'] } } },
    peers: [
      { host: '127.0.0.2', answers: [NO_URLS] },
      { host: '127.0.0.3', answers: [NO_URLS] },
    ],
  },

  // ---- PEERS_SCHEME other than http(s) (§6.4, §6 a, §9)
  {
    id: 'watcher-scheme-ftp',
    program: 'watcher',
    title:
      '§6 a PEERS_SCHEME=ftp: curl connects and waits for the FTP greeting, the probe waits for a request: `curl: (28) Operation timed out after N milliseconds with 0 bytes received`, code 000',
    env: { ...WATCHER_ENV, PEERS_SCHEME: 'ftp' },
    dns: ONE_PEER,
    peers: [{ host: '127.0.0.2', answers: [NO_URLS] }],
  },
  {
    id: 'watcher-scheme-ftp-idle-close',
    program: 'watcher',
    title:
      "§6 a §5 PEERS_SCHEME=ftp, the probe's idle limit closes first (TIMEOUT=3, closed after 1 s): `curl: (56) response reading failed (errno: 115)`, code 000",
    env: { ...WATCHER_ENV, PEERS_SCHEME: 'ftp', TIMEOUT: '3' },
    dns: ONE_PEER,
    peers: [{ host: '127.0.0.2', answers: [{ kind: 'idle-close', afterMs: 1000 }] }],
  },
  {
    id: 'watcher-scheme-gopher',
    program: 'watcher',
    title:
      '§6 a PEERS_SCHEME=gopher, a protocol curl speaks and the port does not (D39): curl sends a CRLF and times out; the port prints `curl: (1) Protocol "gopher" not supported or disabled in libcurl` at once; both code 000, `FAIL`',
    env: { ...WATCHER_ENV, PEERS_SCHEME: 'gopher' },
    dns: ONE_PEER,
    peers: [{ host: '127.0.0.2', answers: [{ kind: 'hang' }] }],
    divergences: ['D39'],
  },
];
