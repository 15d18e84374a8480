// D41 (docs/behaviour.md §4.1): a set AUTH_FILE that holds no token (empty, only empty lines, only
// NUL bytes) means "no auth" to the originals; the port refuses every request with the exact
// 401 and says so once per change of the file (the router: on every exchange), as for D8.
// The router's plain cases (router-auth-empty-file, router-auth-only-empty-lines,
// router-auth-nul-only-line) list D41 where they are; these add the probe and a presented token.
//
// Then D5's 200 with a slow body (docs/behaviour.md §6 Notify): Telegram's status line says 200
// and its body comes slower than TIMEOUT. The originals' curl -m times out, they print curl's
// line and `notify failed`, and write the state; the port prints the same and, since the 200
// says the message was sent, writes the state too: no copy next round. Same on both sides.
import type { Bytes, GoldenCase } from '../types.ts';
import { AUTH_PATH, TOKEN_USER_PASS, authFile, get, latin1 } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

const AUTH = { AUTH_FILE: AUTH_PATH };
const basic = (token: string) => `Authorization: Basic ${token}`;

export const cases: GoldenCase[] = [
  {
    id: 'router-auth-empty-file-with-token',
    program: 'router',
    title: '§4.1 an empty AUTH_FILE: legacy serves a request presenting any token; the port refuses it [D41]',
    env: AUTH,
    files: [authFile('')],
    stdin: get('/status', [basic(TOKEN_USER_PASS)]),
    divergences: ['D41'],
  },
  {
    id: 'router-auth-empty-and-nul-lines',
    program: 'router',
    title: '§4.1 §9 empty lines and lines of NUL bytes only, no final newline: no token [D41]',
    env: AUTH,
    files: [authFile(latin1('\n\0\n\n\0\0\0'))],
    stdin: get('/status'),
    divergences: ['D41'],
  },
  // §4.1 §5 D41 through the probe: [id, title, PORT, the file at start, the requests in order]
  ...(
    [
      [
        'probe-auth-empty-file',
        '§4.1 §5 an empty AUTH_FILE through the probe: legacy serves everyone; the port 401s all, one line [D41]',
        '6030',
        '',
        [{ send: get('/status') }, { send: get('/status', [basic(TOKEN_USER_PASS)]) }, { send: get('/nope') }],
      ],
      [
        'probe-auth-only-empty-lines',
        '§4.1 §5 an AUTH_FILE of empty and NUL-only lines through the probe [D41]',
        '6031',
        latin1('\n\n\0\0\n'),
        [{ send: get('/status') }, { send: get('/status') }],
      ],
      [
        'probe-auth-emptied-and-refilled',
        '§4.1 §5 the file emptied, then given a token again, then emptied: the port says it once per change [D41]',
        '6032',
        'user:pass\n',
        [
          { send: get('/status') },
          { send: get('/status'), writeFiles: [authFile('')] },
          { send: get('/status') },
          { send: get('/status', [basic(TOKEN_USER_PASS)]), writeFiles: [authFile('user:pass\n')] },
          { send: get('/status'), writeFiles: [authFile('\n')] },
        ],
      ],
    ] as const satisfies readonly (readonly [string, string, string, Bytes, GoldenCase['requests']])[]
  ).map(([id, title, PORT, file, requests]): GoldenCase => ({
    id,
    program: 'probe',
    title,
    env: { PORT, ...AUTH },
    files: [authFile(file)],
    requests,
    divergences: ['D41'],
  })),
  {
    id: 'watcher-telegram-200-slow-body',
    program: 'watcher',
    title:
      'D5 Telegram answers 200 at once, its body slower than TIMEOUT=1: curl (28), notify failed, the notice; the state written, nothing sent again',
    env: { ...WATCHER_ENV, TIMEOUT: '1' },
    dns: { records: { 'peers.sentinella.test': { A: ['127.0.0.1', '127.0.0.2'] } } },
    peers: [{ host: '127.0.0.2', answers: [{ kind: 'json', body: statusSummaryBody([]) }] }],
    telegram: { answers: [{ kind: 'trickle', everyMs: 5000 }] },
    rounds: 2,
  },
];
