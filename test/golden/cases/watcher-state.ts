// Watcher state files and rounds (docs/behaviour.md §6.6d-e, §6 Errexit): state present (same /
// different / trailing newline), SPAM, a peer changing over several rounds, STATE_DIR removed.
import type { GoldenCase, PeerSpec } from '../types.ts';
import { SANDBOX } from './_helpers.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody, type ScriptedPeerReply } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
const DNS = { records: { [NAME]: { A: ['127.0.0.1', '127.0.0.2'] } } };
const NO_URLS: ScriptedPeerReply = { kind: 'json', body: statusSummaryBody([]) };
const healthy: PeerSpec = { host: '127.0.0.2', answers: [NO_URLS] };
/** cksum of `http://127.0.0.2:5988` (docs/behaviour.md §6.6d). */
const STATE_FILE = `${SANDBOX.state}/428259130.state`;

export const cases: GoldenCase[] = [
  {
    id: 'watcher-state-same',
    program: 'watcher',
    title: '§6.6e state file already holds the current state: nothing sent, nothing logged, file untouched',
    env: WATCHER_ENV,
    files: [{ path: STATE_FILE, content: 'up:0/0:200' }],
    dns: DNS,
    peers: [healthy],
  },
  {
    id: 'watcher-state-different',
    program: 'watcher',
    title: '§6.6e state file holds another state: notified, file rewritten without trailing newline',
    env: WATCHER_ENV,
    files: [{ path: STATE_FILE, content: 'down:0/0:000' }],
    dns: DNS,
    peers: [healthy],
  },
  {
    id: 'watcher-state-trailing-newlines',
    program: 'watcher',
    title: '§6.6d last state = file content without trailing newlines: `up:0/0:200\\n\\n` equals the current state',
    env: WATCHER_ENV,
    files: [{ path: STATE_FILE, content: 'up:0/0:200\n\n' }],
    dns: DNS,
    peers: [healthy],
  },
  {
    id: 'watcher-state-other-files',
    program: 'watcher',
    title: '§6.6d only <cksum>.state of a polled URL is read or written; other files in STATE_DIR stay as they are',
    env: WATCHER_ENV,
    files: [
      { path: `${SANDBOX.state}/3363770121.state`, content: 'down:0/0:000' },
      { path: `${SANDBOX.state}/notes.txt`, content: 'keep me\n' },
    ],
    dns: DNS,
    peers: [healthy],
  },
  {
    id: 'watcher-spam',
    program: 'watcher',
    title: '§6.6e SPAM=1: notified and written every round, even when the state is unchanged (3 rounds)',
    env: { ...WATCHER_ENV, SPAM: '1' },
    files: [{ path: STATE_FILE, content: 'up:0/0:200' }],
    dns: DNS,
    peers: [healthy],
    rounds: 3,
  },
  {
    id: 'watcher-spam-not-one',
    program: 'watcher',
    title: '§6.6e SPAM=true is not 1: only the change is notified (2 rounds, one message)',
    env: { ...WATCHER_ENV, SPAM: 'true' },
    dns: DNS,
    peers: [healthy],
    rounds: 2,
  },
  {
    id: 'watcher-rounds-peer-changes',
    program: 'watcher',
    title: '§6 several rounds: up, up (silent), 401 (down, silent once), empty reply (down, code 000), up again; one message per change',
    env: WATCHER_ENV,
    dns: DNS,
    peers: [
      { host: '127.0.0.2', answers: [NO_URLS, NO_URLS, { kind: 'unauthorized' }, { kind: 'unauthorized' }, { kind: 'close' }, NO_URLS] },
    ],
    rounds: 6,
    timeoutMs: 40000,
  },
  {
    id: 'watcher-state-dir-removed',
    program: 'watcher',
    title: '§6 Errexit D13: STATE_DIR removed while running, state change pending: legacy dies after notifying (cannot create, tmpb line)',
    env: WATCHER_ENV,
    dns: DNS,
    peers: [{ host: '127.0.0.2', answers: [NO_URLS, { kind: 'unauthorized' }] }],
    roundActions: [{ round: 2, removePaths: [SANDBOX.state] }],
    rounds: 2,
    divergences: ['D13'],
  },
];
