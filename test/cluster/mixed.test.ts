// The mixed cluster: old and new nodes side by side keep watching each other.
// test/cluster/mixed-scenario.ts runs the cluster inside private namespaces and reports what
// happened; this file asserts on that report:
//   - the exact Telegram messages each watcher sent, in order, phase by phase;
//   - every watcher's state files after every phase;
//   - no watcher ever polled itself (no state file, no message for its own address);
//   - Basic Auth on every probe (401 without credentials, [1/1] with the watchers' token).
// Where D1 and D4 make old and new watchers report the same peer differently, both forms
// are asserted (see the "checked URL down" phase and test/cluster/README.md).
//
// Bin dirs and the kept report: run-scenario.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../scripts/lib/cluster.ts';
import { HEALTH_URL, HOSTS, PORT, TG_TOKEN } from './mixed-scenario-plan.ts';
import { assertRanToEnd, outside, scenarioReport, textsOf } from './run-scenario.ts';

const got = scenarioReport('mixed');

const url = (host: number) => `http://192.0.2.${host}:${PORT}`;
const OK = (host: number) => `OK  : ${url(host)} [1/1]`;
const DOWN = (host: number) => `FAIL: ${url(host)} [0/0]`;

// What each watcher says about a peer whose one check (HEALTH_URL) fails with 000:
//  - legacy watcher [D4]: one bogus item, the code of the last check as written in the body:
//    a legacy router writes `000` [D1], the port's router writes `0` (valid JSON);
//  - port watcher (D4 fixed): every failing check as `<url>(<code>)`, code always 3 digits,
//    whichever router wrote the body (it reads `000` like jq 1.6 does).
const LEGACY_SEES_LEGACY = (host: number) => `FAIL: ${url(host)} [0/1] — checks(000)`;
const LEGACY_SEES_PORT = (host: number) => `FAIL: ${url(host)} [0/1] — checks(0)`;
const PORT_SEES_ANY = (host: number) => `FAIL: ${url(host)} [0/1] — ${HEALTH_URL}(000)`;

// Per watcher (chat id), phase by phase, in order. Peers are polled in DNS order, own address skipped.
// A watcher polling `peers` reports h2's stop and restart (when h2 is one of them), then `down`
// for the checked URL failing, then every peer OK again.
const sees = (peers: number[], down: string[]): Record<string, string[]> => ({
  start: peers.map(OK),
  'h2 probe stopped': peers.includes(2) ? [DOWN(2)] : [],
  'h2 probe started again': peers.includes(2) ? [OK(2)] : [],
  'checked URL down': down,
  'checked URL back': peers.map(OK),
});
const EXPECTED: Record<string, Record<string, string[]>> = {
  '-1001': sees([2, 3], [LEGACY_SEES_PORT(2), LEGACY_SEES_LEGACY(3)]),
  '-1002': sees([1, 3], [PORT_SEES_ANY(1), PORT_SEES_ANY(3)]),
  '-1003': sees([1, 2], [PORT_SEES_ANY(1), PORT_SEES_ANY(2)]),
};

const PHASES = ['start', 'h2 probe stopped', 'h2 probe started again', 'checked URL down', 'checked URL back'];

test('the scenario ran to the end', () => {
  assertRanToEnd(got(), PHASES);
});

test('no message outside the phases (the watchers stop before the probes)', () => {
  assert.equal(outside(got(), PHASES), []);
});

test('every probe requires Basic Auth', () => {
  assert.equal(got().unauthenticated, {
    h1: 'HTTP/1.1 401 Unauthorized',
    h2: 'HTTP/1.1 401 Unauthorized',
    h3: 'HTTP/1.1 401 Unauthorized',
  });
});

for (const host of HOSTS) {
  test(`${host.name} (${host.watcher} watcher): the exact Telegram messages, phase by phase`, () => {
    const r = got();
    for (const phase of PHASES) {
      assert.equal(textsOf(r, host.chatId, phase), EXPECTED[host.chatId]?.[phase], `${host.name}, phase "${phase}"`);
    }
  });
}

test('every notification is the same request, old or new watcher', () => {
  for (const m of got().messages) {
    assert.is(m.method, 'POST');
    assert.is(m.path, `/bot${TG_TOKEN}/sendMessage`);
    assert.is(m.contentType, 'application/x-www-form-urlencoded');
    assert.ok(m.body.startsWith(`chat_id=${m.chatId}&text=`), m.body);
  }
  // One body byte for byte (docs/behaviour.md §6 notify encoding), from each kind of watcher.
  const first = (chat: string) => got().messages.find((m) => m.chatId === chat && m.phase === 'checked URL down')?.body;
  assert.is(first('-1001'), 'chat_id=-1001&text=FAIL%3A+http%3A%2F%2F192.0.2.2%3A5988+%5B0%2F1%5D+%E2%80%94+checks%280%29');
  assert.is(
    first('-1003'),
    'chat_id=-1003&text=FAIL%3A+http%3A%2F%2F192.0.2.1%3A5988+%5B0%2F1%5D+%E2%80%94+http%3A%2F%2F192.0.2.254%3A8080%2Fhealth%28000%29',
  );
});

// State after each phase: <cksum of peer URL>.state -> state string, for the two peers only.
const STATES: Record<string, (peer: number) => string> = {
  start: () => 'up:1/1:200',
  'h2 probe stopped': (peer) => (peer === 2 ? 'down:0/0:000' : 'up:1/1:200'),
  'h2 probe started again': () => 'up:1/1:200',
  'checked URL down': () => 'down:0/1:200',
  'checked URL back': () => 'up:1/1:200',
};

test('state files after every phase, and no watcher ever polled itself', () => {
  const r = got();
  for (const record of r.phases) {
    for (const [i, host] of HOSTS.entries()) {
      const peers = [1, 2, 3].filter((n) => n !== i + 1);
      const expected = Object.fromEntries(peers.map((p) => [`${cksum(url(p))}.state`, STATES[record.name]?.(p)]));
      assert.equal(record.state[host.name], expected, `${host.name} after "${record.name}"`);
    }
  }
  for (const [i, host] of HOSTS.entries()) {
    assert.not.ok(
      r.messages.some((m) => m.chatId === host.chatId && m.text.includes(url(i + 1))),
      `${host.name} sent a message about itself`,
    );
  }
});

test('each watcher logs `notify message:` for exactly the messages it sent, old or new', () => {
  const r = got();
  for (const host of HOSTS) {
    const logged = [
      ...(r.outputs[`${host.name} watcher`] ?? '').matchAll(/\x1b\[36mnotify message: \x1b\[37m(.*)\x1b\[36m\x1b\[0m\n/g),
    ].map((m) => m[1]);
    const sent = r.messages.filter((m) => m.chatId === host.chatId).map((m) => m.text);
    assert.equal(logged, sent, host.name);
  }
});

test("a peer that refuses connections: both watchers print curl's own error line", () => {
  const r = got();
  const line = /curl: \(7\) Failed to connect to 192\.0\.2\.2 port 5988 after \d+ ms: Couldn't connect to server/;
  assert.match(r.outputs['h1 watcher'] ?? '', line);
  assert.match(r.outputs['h3 watcher'] ?? '', line);
});

test.run();
