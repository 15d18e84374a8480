// Silences (src/watcher/silences.ts, docs/behaviour.md §10 "Silences"): durations, the <peer>
// argument, the file's text, and the watcher's stat-keyed reading of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peerAddress } from '../../../src/watcher/message.ts';
import {
  activeSilences,
  formatDuration,
  formatUntil,
  mergeSilences,
  parseDuration,
  parseSilences,
  readPeerArgument,
  readSilencesFile,
  renderSilences,
  SilenceError,
  SilencesFile,
  silenceEntries,
  silencesPath,
  readViewSilences,
  ViewSilences,
  type Silence,
} from '../../../src/watcher/silences.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-silences-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T = Date.UTC(2026, 11, 5, 12, 0, 0); // 2026-12-05T12:00:00Z

test('durations: a whole number and s, m, h or d', () => {
  assert.equal(['90s', '30m', '2h', '1d', '08m', '365d'].map(parseDuration), [90, 1800, 7200, 86400, 480, 365 * 86400]);
});

test('durations: anything else is an error that says what is accepted', () => {
  for (const bad of ['', '2', 'h', '2H', '1.5h', '-1h', '+1h', ' 2h', '2h ', '1h30m', '2 h', '2w', '1e3s', '0x10m', '٣h']) {
    assert.throws(
      () => parseDuration(bad),
      (err: Error) =>
        err instanceof SilenceError &&
        err.message === `invalid duration '${bad}': a whole number and a unit, s, m, h or d (90s, 30m, 2h, 1d)`,
      bad,
    );
  }
  assert.throws(() => parseDuration('0m'), /invalid duration '0m': it must be longer than 0/);
  assert.throws(() => parseDuration('366d'), /invalid duration '366d': at most 365d/);
  assert.throws(() => parseDuration('99999999999999999999s'), /at most 365d/);
});

test('durations for people: the two largest units, whole seconds', () => {
  assert.equal([0, 0.9, 45, 90, 3599, 3600, 7199.5, 86400 + 7200 + 59, 3 * 86400, -5].map(formatDuration), [
    '0s',
    '0s',
    '45s',
    '1m30s',
    '59m59s',
    '1h',
    '1h59m',
    '1d2h',
    '3d',
    '0s',
  ]);
});

test('until: ISO 8601 in UTC, to the second', () => {
  assert.is(formatUntil(T), '2026-12-05T12:00:00Z');
  assert.is(formatUntil(T + 999), '2026-12-05T12:00:00Z');
});

test('<peer>: an address, a peer URL or a name; IPv6 as getent prints it', () => {
  assert.equal(readPeerArgument('10.0.0.3'), { address: '10.0.0.3' });
  assert.equal(readPeerArgument('http://10.0.0.3:5988'), { address: '10.0.0.3' });
  assert.equal(readPeerArgument('https://10.0.0.3:5988/status'), { address: '10.0.0.3' });
  assert.equal(readPeerArgument('FD00:0:0::3'), { address: 'fd00::3' });
  assert.equal(readPeerArgument('[fd00::3]'), { address: 'fd00::3' });
  assert.equal(readPeerArgument('http://[FD00::0:3]:5988'), { address: 'fd00::3' });
  assert.equal(readPeerArgument('node3.example'), { name: 'node3.example' });
  assert.equal(readPeerArgument('http://Node3.Example:5988'), { name: 'node3.example' });
  for (const bad of ['', '-n', 'a b', 'a/b', 'http://', 'http://[::1']) {
    assert.throws(
      () => readPeerArgument(bad),
      (err: Error) => err instanceof SilenceError && err.message.startsWith(`invalid peer '${bad}'`),
      bad,
    );
  }
});

test('a round peer URL gives its address, as the file keys it', () => {
  assert.is(peerAddress('http://10.0.0.3:5988'), '10.0.0.3');
  assert.is(peerAddress('https://[fd00::3]:5988'), 'fd00::3');
  assert.is(peerAddress('http://peer.test:1/x'), 'peer.test');
});

test('the file: rendered in one line, sorted, whole seconds; read back the same', () => {
  const silences = new Map<string, Silence>([
    ['10.0.0.9', { untilMs: T + 7_200_000, reason: '' }],
    ['10.0.0.3', { untilMs: T + 1500, reason: 'kernel "upgrade" \\ é' }],
  ]);
  const text = renderSilences(silences);
  assert.is(
    text,
    '{"sentinella_silences":1,"silences":{"10.0.0.3":{"until":1796472002,"reason":"kernel \\"upgrade\\" \\\\ é"},"10.0.0.9":{"until":1796479200,"reason":""}}}\n',
  );
  assert.equal(
    [...parseSilences(text)],
    [
      ['10.0.0.3', { untilMs: T + 2000, reason: 'kernel "upgrade" \\ é' }],
      ['10.0.0.9', { untilMs: T + 7_200_000, reason: '' }],
    ],
  );
  assert.equal([...parseSilences('{"sentinella_silences":1,"silences":{"a":{"until":5}}}')], [['a', { untilMs: 5000, reason: '' }]]);
});

test('the file: what is not a silences file says why', () => {
  const why = (text: string) => {
    try {
      parseSilences(text);
      return 'read';
    } catch (err) {
      return (err as Error).message;
    }
  };
  assert.is(why(''), 'not JSON');
  assert.is(why('[]'), 'not a version 1 silences file');
  assert.is(why('{"sentinella_silences":2,"silences":{}}'), 'not a version 1 silences file');
  assert.is(why('{"sentinella_silences":1}'), 'not a version 1 silences file');
  assert.is(why('{"sentinella_silences":1,"silences":{"a":{"until":"soon"}}}'), 'the silence of a has no until');
  assert.is(why('{"sentinella_silences":1,"silences":{"a":3}}'), 'the silence of a has no until');
});

test('active: only those that end after now; merged: the one that ends last', () => {
  const a = new Map<string, Silence>([
    ['x', { untilMs: T, reason: 'ended' }],
    ['y', { untilMs: T + 1, reason: 'a' }],
  ]);
  assert.equal([...activeSilences(a, T).keys()], ['y']);
  const b = new Map<string, Silence>([
    ['y', { untilMs: T + 5, reason: 'b' }],
    ['z', { untilMs: T + 1, reason: 'c' }],
  ]);
  assert.equal(
    [...mergeSilences(a, b)],
    [
      ['x', { untilMs: T, reason: 'ended' }],
      ['y', { untilMs: T + 5, reason: 'b' }],
      ['z', { untilMs: T + 1, reason: 'c' }],
    ],
  );
  assert.equal(mergeSilences(b, a).get('y')?.reason, 'b');
});

test('reading the file: none when missing; why when unreadable or broken', () => {
  const dir = path.join(tmp, 'read');
  fs.mkdirSync(dir);
  const file = silencesPath(dir);
  assert.is(file, path.join(dir, 'silences.json'));
  assert.equal(readSilencesFile(file), { ok: true, silences: new Map() });
  fs.writeFileSync(file, 'x');
  assert.equal(readSilencesFile(file), { ok: false, problem: `${file} is not a silences file (not JSON)` });
  fs.rmSync(file);
  fs.mkdirSync(file);
  assert.equal(readSilencesFile(file), { ok: false, problem: `cannot read ${file}: Is a directory` });
});

test('the watcher reads the file again only when it changed; a broken one counts as none, said once', () => {
  const dir = path.join(tmp, 'watch');
  fs.mkdirSync(dir);
  const file = silencesPath(dir);
  const problems: string[] = [];
  const reader = new SilencesFile(file, (p) => problems.push(p));
  const reads = (): number => reader.reads;
  assert.equal(reader.current(), new Map());
  const one = new Map<string, Silence>([['10.0.0.3', { untilMs: T, reason: 'r' }]]);
  fs.writeFileSync(file, renderSilences(one));
  assert.equal(reader.current(), one);
  const before = reads();
  for (let i = 0; i < 5; i++) reader.current();
  assert.is(reads(), before, 'an unchanged file is not read again');
  fs.writeFileSync(file, '{broken');
  assert.equal(reader.current(), new Map());
  reader.current();
  assert.equal(problems, [`${file} is not a silences file (not JSON): ignoring its silences until it is fixed`]);
  const two = new Map([...one, ['10.0.0.4', { untilMs: T + 1000, reason: '' }]]);
  fs.writeFileSync(file, renderSilences(two));
  assert.equal(reader.current(), two);
  fs.rmSync(file);
  assert.equal(reader.current(), new Map());
  assert.is(problems.length, 1);
});

test("QUORUM seam: a view's silences field; a node seen again replaces what it said, the others stay", () => {
  const entries = silenceEntries(new Map([['10.0.0.3', { untilMs: T + 1500, reason: 'r' }]]));
  assert.equal(entries, { '10.0.0.3': { until: 1796472002, reason: 'r' } });
  assert.equal([...readViewSilences(JSON.parse(JSON.stringify(entries)))], [['10.0.0.3', { untilMs: T + 2000, reason: 'r' }]]);
  for (const bad of [undefined, null, 3, [], { a: 1 }, { a: { until: 'x' } }]) assert.equal(readViewSilences(bad), new Map(), String(bad));

  const views = new ViewSilences();
  assert.equal(views.current(), new Map());
  views.seen('10.0.0.1', new Map([['10.0.0.3', { untilMs: T + 10, reason: 'a' }]]));
  views.seen(
    '10.0.0.2',
    new Map([
      ['10.0.0.3', { untilMs: T + 5, reason: 'b' }],
      ['10.0.0.4', { untilMs: T + 5, reason: 'c' }],
    ]),
  );
  assert.equal(
    [...views.current()],
    [
      ['10.0.0.3', { untilMs: T + 10, reason: 'a' }],
      ['10.0.0.4', { untilMs: T + 5, reason: 'c' }],
    ],
  );
  views.seen('10.0.0.1', new Map()); // unsilenced on 10.0.0.1: 10.0.0.2's own silence of .3 remains
  assert.equal(
    [...views.current()],
    [
      ['10.0.0.3', { untilMs: T + 5, reason: 'b' }],
      ['10.0.0.4', { untilMs: T + 5, reason: 'c' }],
    ],
  );
});

test.run();
