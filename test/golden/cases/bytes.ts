// Bytes, not text (src/bytes.ts): the originals are dash scripts (docs/behaviour.md §1), and the
// values they handle are byte strings passed on unchanged (§6.6a). Environment values, file
// names and URLs holding bytes that are not UTF-8 (latin-1 `ä`, the single byte 0xE4, written
// `\xe4` below) reach stderr, the wire, the Telegram form body, cksum and getent as those bytes
// on both sides; a mount point whose name is UTF-8 but not ASCII is reported as it is in /disk.
//
// VOLUMES cases read a tree made under /mnt/vol2/h whose entries are symlinks to distinct mounts
// (as in router-dash.ts), so which entries a pattern matches, and in what order, shows in the
// /disk body:
//   a\xe4 -> /sys   b -> /mnt/vol1   \xc3\xa4 (UTF-8 `ä`) -> /sys   \xe4 -> /proc
//   \xe4\xe4 -> /mnt/vol1   \xff -> /sys
import type { FileSpec, GoldenCase } from '../types.ts';
import { SANDBOX, TARGETS, authFile, get, latin1 } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

const H = `${SANDBOX.vol2}/h`;
const BYTE_TREE: FileSpec[] = [
  { path: H, dir: true },
  { path: latin1(`${H}/a\xe4`), symlink: '/sys' },
  { path: `${H}/b`, symlink: SANDBOX.vol1 },
  { path: latin1(`${H}/\xc3\xa4`), symlink: '/sys' },
  { path: latin1(`${H}/\xe4`), symlink: '/proc' },
  { path: latin1(`${H}/\xe4\xe4`), symlink: SANDBOX.vol1 },
  { path: latin1(`${H}/\xff`), symlink: '/sys' },
];

/** GET /disk with VOLUMES (latin1: one char per byte) over the tree. */
const disk = (id: string, title: string, volumes: string): GoldenCase => ({
  id,
  program: 'router',
  title,
  envBytes: { VOLUMES: latin1(volumes) },
  files: BYTE_TREE,
  stdin: get('/disk'),
});

/** A mount point whose name is UTF-8 `ä` (two bytes), not ASCII. */
const MOUNT = `${SANDBOX.root}/s/ä`;

const { PEERS_DNS: _peersDns, ...WATCHER_WITHOUT_DNS } = WATCHER_ENV;
const HEALTHY = { host: '127.0.0.2', answers: [{ kind: 'json' as const, body: statusSummaryBody([]) }] };
const DNS = { records: { [WATCHER_ENV.PEERS_DNS]: { A: ['127.0.0.2'] } } };

export const cases: GoldenCase[] = [
  // ---- router: URLS (§4.7), VOLUMES (§4.8, §9), AUTH_FILE (§4.1)
  {
    id: 'router-bytes-urls',
    program: 'router',
    title:
      '§4.7 a URL holding the byte 0xE4 in its path and query: curl sends `%e4` in the path and the raw byte in the query; the log line and the JSON body carry the raw byte',
    env: { TIMEOUT: '2' },
    envBytes: { URLS: latin1('http://127.0.0.2:8080/p\xe4th?q=\xe4') },
    peers: TARGETS,
    stdin: get('/status'),
  },
  disk(
    'router-bytes-glob-star',
    '§9 `*` over names that are not UTF-8 (0xE4, 0xFF) and one that is (`ä`): every one matched, in bytewise order',
    `${H}/*`,
  ),
  disk(
    'router-bytes-glob-patterns',
    '§9 patterns holding the byte 0xE4: `?` is one byte (0xE4 and 0xFF match, UTF-8 `ä` does not), `\\xe4*`, `[\\xe4-\\xff]` (bytes as signed chars), a plain path, `a?`',
    `${H}/? ${H}/\xe4* ${H}/[\xe4-\xff] ${H}/\xe4 ${H}/a?`,
  ),
  {
    id: 'router-bytes-mount-point',
    program: 'router',
    title: '§4.8 a mount point named with UTF-8 `ä` (not ASCII), as a word and through a glob: its name as it is, not encoded twice',
    env: { VOLUMES: `${MOUNT} ${SANDBOX.root}/s/*` },
    mounts: [{ path: MOUNT, size: '512k' }],
    stdin: get('/disk'),
  },
  {
    id: 'router-bytes-mount-point-default',
    program: 'router',
    title: '§4.8 default VOLUMES (every mount df -P lists) with a mount point named `ä` (host-dependent: sides compared)',
    mounts: [{ path: MOUNT, size: '512k' }],
    stdin: get('/disk'),
    compare: 'sides',
  },
  {
    id: 'router-bytes-auth-file',
    program: 'router',
    title: '§4.1 AUTH_FILE named with the byte 0xE4: the file is read, the right token is let in',
    envBytes: { AUTH_FILE: latin1(`${SANDBOX.work}/\xe4uth`) },
    files: [{ ...authFile('user:pass\n'), path: latin1(`${SANDBOX.work}/\xe4uth`) }],
    stdin: get('/status', ['Authorization: Basic dXNlcjpwYXNz']),
  },

  // ---- probe: the same environment through the probe's entry point (§5)
  {
    id: 'probe-bytes-urls',
    program: 'probe',
    title: '§5 the probe passes a URL holding the byte 0xE4 to its router: `%e4` on the wire, the raw byte in the log line and the body',
    env: { PORT: '6120', TIMEOUT: '2' },
    envBytes: { URLS: latin1('http://127.0.0.2:8080/\xe4') },
    peers: TARGETS,
    requests: [{ send: get('/status') }],
  },

  // ---- watcher: PEERS_DNS, PEERS_TOKEN (§6.3-4, §6 a), TG_CHAT_ID, TG_TOKEN (§6 notify),
  //      PEERS_SCHEME (the URL: message, form encoding, cksum of the state file, §6 c-e)
  {
    id: 'watcher-bytes-peers-dns',
    program: 'watcher',
    title:
      "§6.3-4 PEERS_DNS holding the byte 0xE4: the round's log line carries it, getent finds the hosts line of that name; PEERS_TOKEN's 0xE4 goes into the Authorization line as it is",
    env: WATCHER_WITHOUT_DNS,
    envBytes: { PEERS_DNS: latin1('peers\xe4.test'), PEERS_TOKEN: latin1('t\xe4k') },
    hosts: [latin1('127.0.0.2 peers\xe4.test')],
    peers: [HEALTHY],
  },
  {
    id: 'watcher-bytes-peers-dns-unresolved',
    program: 'watcher',
    title: '§6.5 PEERS_DNS holding the byte 0xE4 resolves to nothing: the warn line carries it',
    env: WATCHER_WITHOUT_DNS,
    envBytes: { PEERS_DNS: latin1('none\xe4.test') },
  },
  {
    id: 'watcher-bytes-telegram',
    program: 'watcher',
    title: "§6 notify: TG_CHAT_ID holding the byte 0xE4 is pasted into the form body as it is; TG_TOKEN's 0xE4 is `%e4` in the path (curl)",
    env: WATCHER_ENV,
    envBytes: { TG_CHAT_ID: latin1('-100\xe4'), TG_TOKEN: latin1('123:ab\xe4') },
    dns: DNS,
    peers: [HEALTHY],
  },
  {
    id: 'watcher-bytes-peers-scheme',
    program: 'watcher',
    title:
      "§6 c-e PEERS_SCHEME holding the byte 0xE4: curl refuses the URL (3); the message carries the byte, the form body has `%E4`, the state file is the cksum of the URL's bytes",
    env: WATCHER_ENV,
    envBytes: { PEERS_SCHEME: latin1('http\xe4') },
    dns: DNS,
    peers: [HEALTHY],
  },
];
