// A mesh of both discovery modes (docs/behaviour.md §12): watchers finding their peers through
// PEERS_DNS (the A records) and through PEERS_SRV (one SRV record per host) side by side, old
// and new, keep watching each other. The plan `mixed-srv` of mixed-scenario-plan.ts:
//
//   h1 192.0.2.1  legacy probe + legacy watcher, PEERS_DNS         (chat -1001)
//   h2 192.0.2.2  port probe   + legacy watcher-srv, PEERS_SRV     (chat -1002)
//   h3 192.0.2.3  port probe   + port watcher, PEERS_SRV           (chat -1003)
//   h4 192.0.2.4  legacy probe + port watcher, PEERS_DNS           (chat -1004)
//
// The same phases as mixed.test.ts, h3's probe stopped and started again. What differs by
// mode: an SRV watcher names a peer `TARGET (IP)` and keys its state by the cksum of TARGET,
// and says `no change:` for every unchanged peer; upstream's SRV version reads no summary
// from the /status bodies it fetches (D44): `[0/0]`, and it never sees the checked URL fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../scripts/lib/cluster.ts';
import { HEALTH_URL, PLANS, PORT, SRV_HOSTS, phasesOf, targetOf, type ClusterPlan, type HostPlan } from './mixed-scenario-plan.ts';
import { assertRanToEnd, outside, scenarioReport, textsOf } from './run-scenario.ts';

const got = scenarioReport('mixed-srv');

const PHASES = phasesOf(PLANS['mixed-srv'] as ClusterPlan);
const host = (n: number) => SRV_HOSTS[n - 1] as HostPlan;
const url = (n: number) => `http://192.0.2.${n}:${PORT}`;
const label = (n: number) => `${targetOf(host(n))} (192.0.2.${n})`;
/** How a watcher of `discovery` names peer n. */
const peerName = (watcher: HostPlan, n: number) => (watcher.discovery === 'srv' ? label(n) : url(n));
const OK = (w: HostPlan, n: number, counts = '[1/1]') => `OK  : ${peerName(w, n)} ${counts}`;
const DOWN = (w: HostPlan, n: number) => `FAIL: ${peerName(w, n)} [0/0]`;
// The checked URL failing (000): the legacy DNS watcher's one bogus item (D4) spells the code
// as the body does (a port router writes 0, D1); the port lists every failing check (D4).
const LEGACY_FAILS = (n: number) => `FAIL: ${url(n)} [0/1] — checks(${host(n).probe === 'port' ? '0' : '000'})`;
const PORT_FAILS = (w: HostPlan, n: number) => `FAIL: ${peerName(w, n)} [0/1] — ${HEALTH_URL}(000)`;

const [h1, h2, h3, h4] = [host(1), host(2), host(3), host(4)];
const EXPECTED: Record<string, Record<string, string[]>> = {
  [h1.chatId]: {
    start: [OK(h1, 2), OK(h1, 3), OK(h1, 4)],
    'h3 probe stopped': [DOWN(h1, 3)],
    'h3 probe started again': [OK(h1, 3)],
    'checked URL down': [LEGACY_FAILS(2), LEGACY_FAILS(3), LEGACY_FAILS(4)],
    'checked URL back': [OK(h1, 2), OK(h1, 3), OK(h1, 4)],
  },
  // Upstream's SRV version: [0/0] for everyone (D44), so the checked URL changes nothing.
  [h2.chatId]: {
    start: [OK(h2, 1, '[0/0]'), OK(h2, 3, '[0/0]'), OK(h2, 4, '[0/0]')],
    'h3 probe stopped': [DOWN(h2, 3)],
    'h3 probe started again': [OK(h2, 3, '[0/0]')],
    'checked URL down': [],
    'checked URL back': [],
  },
  [h3.chatId]: {
    start: [OK(h3, 1), OK(h3, 2), OK(h3, 4)],
    'h3 probe stopped': [],
    'h3 probe started again': [],
    'checked URL down': [PORT_FAILS(h3, 1), PORT_FAILS(h3, 2), PORT_FAILS(h3, 4)],
    'checked URL back': [OK(h3, 1), OK(h3, 2), OK(h3, 4)],
  },
  [h4.chatId]: {
    start: [OK(h4, 1), OK(h4, 2), OK(h4, 3)],
    'h3 probe stopped': [DOWN(h4, 3)],
    'h3 probe started again': [OK(h4, 3)],
    'checked URL down': [PORT_FAILS(h4, 1), PORT_FAILS(h4, 2), PORT_FAILS(h4, 3)],
    'checked URL back': [OK(h4, 1), OK(h4, 2), OK(h4, 3)],
  },
};

test('the scenario ran to the end', () => {
  assertRanToEnd(got(), PHASES);
  assert.equal(outside(got(), PHASES), []);
});

for (const w of SRV_HOSTS) {
  test(`${w.name} (${w.watcher} watcher, ${w.discovery.toUpperCase()}): the exact Telegram messages, phase by phase`, () => {
    const r = got();
    for (const phase of PHASES) {
      assert.equal(textsOf(r, w.chatId, phase), EXPECTED[w.chatId]?.[phase], `${w.name}, phase "${phase}"`);
    }
  });
}

// A DNS watcher keys a peer's state by the cksum of its URL, an SRV watcher by that of its target.
const stateName = (w: HostPlan, n: number) => `${cksum(w.discovery === 'srv' ? targetOf(host(n)) : url(n))}.state`;
const STATES: Record<string, (w: HostPlan, n: number) => string> = {
  start: (w) => (w === h2 ? 'up:0/0:200' : 'up:1/1:200'),
  'h3 probe stopped': (w, n) => (n === 3 ? 'down:0/0:000' : w === h2 ? 'up:0/0:200' : 'up:1/1:200'),
  'h3 probe started again': (w) => (w === h2 ? 'up:0/0:200' : 'up:1/1:200'),
  'checked URL down': (w) => (w === h2 ? 'up:0/0:200' : 'down:0/1:200'),
  'checked URL back': (w) => (w === h2 ? 'up:0/0:200' : 'up:1/1:200'),
};

test('state files after every phase, named by URL or by target; no watcher ever polled itself', () => {
  const r = got();
  for (const record of r.phases) {
    for (const [i, w] of SRV_HOSTS.entries()) {
      const peers = [1, 2, 3, 4].filter((n) => n !== i + 1);
      const expected = Object.fromEntries(peers.map((n) => [stateName(w, n), STATES[record.name]?.(w, n)]));
      assert.equal(record.state[w.name], expected, `${w.name} after "${record.name}"`);
    }
  }
  for (const [i, w] of SRV_HOSTS.entries()) {
    const own = [url(i + 1), `(192.0.2.${i + 1})`];
    assert.not.ok(
      r.messages.some((m) => m.chatId === w.chatId && own.some((text) => m.text.includes(text))),
      `${w.name} sent a message about itself`,
    );
  }
});

test('SRV watchers, old and new, say `no change:` for an unchanged peer; DNS watchers say nothing', () => {
  const r = got();
  const unchanged = (w: HostPlan) =>
    new Set([...(r.outputs[`${w.name} watcher`] ?? '').matchAll(/\x1b\[32mno change: \x1b\[37m(.*)\x1b\[32m\x1b\[0m\n/g)].map((m) => m[1]));
  // Every peer is unchanged in the rounds between the phases' changes.
  assert.ok(unchanged(h2).has(OK(h2, 1, '[0/0]')), [...unchanged(h2)].join('\n'));
  assert.ok(unchanged(h3).has(OK(h3, 4)), [...unchanged(h3)].join('\n'));
  assert.ok(unchanged(h3).has(PORT_FAILS(h3, 1)), [...unchanged(h3)].join('\n'));
  assert.is(unchanged(h1).size + unchanged(h4).size, 0);
});

test("SRV watchers: the round line names the SRV name; curl's stderr is discarded", () => {
  const r = got();
  for (const w of [h2, h3]) {
    assert.match(
      r.outputs[`${w.name} watcher`] ?? '',
      '\x1b[32mpolling peers via SRV \x1b[37m_sentinella._tcp.sentinella.test\x1b[32m every',
    );
    // Also while h3's probe was stopped (the DNS watchers print curl's line then).
    assert.not.match(r.outputs[`${w.name} watcher`] ?? '', 'curl: (7)');
  }
  assert.match(r.outputs['h1 watcher'] ?? '', /curl: \(7\) Failed to connect to 192\.0\.2\.3 port 5988/);
});

test.run();
