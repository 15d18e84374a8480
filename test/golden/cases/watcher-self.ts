// Watcher: how SELF words match (docs/behaviour.md §6.4, §10): an address is local when ` <address> `
// occurs in ` <SELF> `, so only spaces separate words; and arguments (§9: ignored, `-h` too).
import type { GoldenCase, PeerSpec } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';
import { statusSummaryBody } from '../../../scripts/lib/peers.ts';

const NAME = 'peers.sentinella.test';
const healthy = (host: string): PeerSpec => ({ host, answers: [{ kind: 'json', body: statusSummaryBody([]) }] });
const dnsOf = (...addresses: string[]) => ({ records: { [NAME]: { A: addresses } } });

function selfCase(id: string, title: string, self: string, addresses: string[]): GoldenCase {
  return {
    id,
    program: 'watcher',
    title,
    env: { ...WATCHER_ENV, SELF: self },
    dns: dnsOf(...addresses),
    peers: addresses.filter((a) => a !== '127.0.0.1').map(healthy),
  };
}

export const cases: GoldenCase[] = [
  selfCase(
    'watcher-self-tab',
    '§6.4 SELF=`127.0.0.1<TAB>127.0.0.2`: one word, neither address is local, both polled',
    '127.0.0.1\t127.0.0.2',
    ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
  ),
  selfCase(
    'watcher-self-trailing-newline',
    '§6.4, §10 (2026-12-05) SELF=`127.0.0.2<LF>`: read through $(...), the trailing newline goes, 127.0.0.2 is local',
    '127.0.0.2\n',
    ['127.0.0.2', '127.0.0.3'],
  ),
  selfCase(
    'watcher-self-many-spaces',
    '§6.4 SELF with leading, repeated and trailing spaces: both words local, 127.0.0.3 polled',
    '  127.0.0.2   127.0.0.1 ',
    ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
  ),
  selfCase(
    'watcher-self-partial-words',
    '§6.4 SELF=`127.0.0.20 27.0.0.2`: no partial match, 127.0.0.2 polled, 127.0.0.20 dropped',
    '127.0.0.20 27.0.0.2',
    ['127.0.0.2', '127.0.0.20'],
  ),
  selfCase('watcher-self-glob-chars', '§6.4 SELF=`127.0.0.* [1]`: no pattern matching, every address polled', '127.0.0.* [1]', [
    '127.0.0.2',
    '127.0.0.3',
  ]),
  {
    id: 'watcher-args-h',
    program: 'watcher',
    title: '§9 `-h` is not --help (D19 covers only --help and --version): ignored like every argument, one normal round',
    env: WATCHER_ENV,
    args: ['-h'],
    dns: dnsOf('127.0.0.1', '127.0.0.2'),
    peers: [healthy('127.0.0.2')],
  },
  {
    id: 'watcher-args-ignored',
    program: 'watcher',
    title: '§9 arguments are ignored: `run --verbose -V`, one normal round',
    env: WATCHER_ENV,
    args: ['run', '--verbose', '-V'],
    dns: dnsOf('127.0.0.1', '127.0.0.2'),
    peers: [healthy('127.0.0.2')],
  },
];
