// QUORUM on real processes (docs/behaviour.md §10 "Quorum"): four nodes in network namespaces,
// three with QUORUM=majority and one without the mode (a mixed cluster), real probes behind
// AUTH_FILE and real watchers, the fake Telegram. test/cluster/quorum-scenario.ts plays the
// events and reports; this file asserts:
//   - a node dies: the quorum nodes send exactly one FAIL for it, with the agreement; the node
//     without the mode sends its own, as it always did; back: the same with OK;
//   - a quorum node's private link is cut while it reaches Telegram: it sends one line naming
//     itself and nothing about the others; the rest send one FAIL for it (each side once);
//     back: one OK from each side, nothing from the cut node;
//   - every watcher that did not send a change recorded it (state files);
//   - /view: 401 without credentials, the view with them, 404 on the node without the mode.
// PORT_BIN_DIR (default dist/bin, built when missing). About 40 s. The scenario's report (messages,
// state files, every program's output) is kept in $TMPDIR/sentinella-quorum-last-report.json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cksum, enterPrivateNamespaces, probeNamespaceSupport } from '../../scripts/lib/cluster.ts';
import { peerUrlOf, SEEDED_UP } from '../../scripts/lib/quorum-mesh.ts';
import type { QuorumReport } from './quorum-scenario.ts';
import { portBinDir } from './run-scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'sentinella-quorum-test-'));
const support = probeNamespaceSupport();
const LAST_REPORT = path.join(tmpdir(), 'sentinella-quorum-last-report.json');

let report: QuorumReport | undefined;
let failure = '';

test.before(async () => {
  if (!support.ok) return;
  try {
    const reportPath = path.join(work, 'report.json');
    const { child, exit } = enterPrivateNamespaces(
      support,
      path.join(root, 'test/cluster/quorum-scenario.ts'),
      [reportPath, portBinDir()],
      {
        cwd: root,
        stdio: 'pipe',
        boundMs: 120_000,
        graceMs: 10_000,
        pid: true,
      },
    );
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdout?.resume();
    const end = await exit;
    if (!existsSync(reportPath)) {
      failure = `the scenario wrote no report (exit ${end.code}${end.timedOut ? ', past its bound' : ''}): ${stderr}`;
      return;
    }
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as QuorumReport;
    // Kept after the run (overwritten by the next one) for whoever debugs a failure.
    copyFileSync(reportPath, LAST_REPORT);
  } catch (error) {
    failure = (error as Error).message;
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

const it = support.ok ? test : test.skip;
if (!support.ok) console.log(`# quorum cluster skipped: cannot make network namespaces: ${support.reason}`);

function got(): QuorumReport {
  if (report === undefined) throw new assert.Assertion({ message: failure || 'no report', operator: 'report', expects: '', actual: '' });
  if (report.error)
    throw new assert.Assertion({ message: `the scenario failed: ${report.error}`, operator: 'report', expects: '', actual: '' });
  return report;
}

type Phase = QuorumReport['phases'][number];

function phase(name: string): Phase {
  const p = got().phases.find((x) => x.name === name);
  if (!p) throw new assert.Assertion({ message: `no phase ${name}`, operator: 'phase', expects: name, actual: '' });
  return p;
}

const url = (i: number) => peerUrlOf(i);
const stateOf = (p: Phase, node: string, peer: number) => p.states[node]?.[`${cksum(url(peer))}.state`];

it('a fresh start (no state files): one OK per peer from the quorum nodes, and the lone node its own', () => {
  const texts = [...got().atStart].sort();
  const lone = [1, 2, 3].map((i) => `OK  : ${url(i)} [0/0]`);
  const agreed = texts.filter((t) => / \(\d of \d agree\)$/.test(t));
  assert.equal(
    texts.filter((t) => !agreed.includes(t)),
    lone,
  );
  assert.equal(
    agreed.map((t) => t.replace(/ \(\d of \d agree\)$/, '')).sort(),
    [1, 2, 3, 4].map((i) => `OK  : ${url(i)} [0/0]`),
  );
});

it('a node dies: one FAIL from the quorum nodes (with the agreement), one from the node without the mode', () => {
  const p = phase('q1 probe stopped');
  assert.ok(p.reached, `messages: ${JSON.stringify(p.texts)}`);
  assert.equal([...p.texts].sort(), [`FAIL: ${url(1)} [0/0]`, `FAIL: ${url(1)} [0/0] (2 of 2 agree)`]);
  for (const node of ['q2', 'q3', 'q4']) assert.is(stateOf(p, node, 1), 'down:0/0:000', `${node} recorded it`);
});

it('it comes back: one OK from each side', () => {
  const p = phase('q1 probe started again');
  assert.equal([...p.texts].sort(), [`OK  : ${url(1)} [0/0]`, `OK  : ${url(1)} [0/0] (2 of 2 agree)`]);
  for (const node of ['q2', 'q3', 'q4']) assert.is(stateOf(p, node, 1), SEEDED_UP, `${node} recorded it`);
});

it("a quorum node's link is cut: it names itself once and nothing else; the others send one FAIL each side", () => {
  const p = phase('q3 link cut');
  assert.equal([...p.texts].sort(), [
    '198.51.100.3 cannot reach 3 of 3 peers: its own network may be down',
    `FAIL: ${url(3)} [0/0]`,
    `FAIL: ${url(3)} [0/0] (2 of 2 agree)`,
  ]);
  for (const peer of [1, 2, 4]) assert.is(stateOf(p, 'q3', peer), SEEDED_UP, `q3 still says q${peer} up`);
});

it('the link comes back: one OK from each side, nothing from the node that was cut', () => {
  const p = phase('q3 link back');
  assert.equal([...p.texts].sort(), [`OK  : ${url(3)} [0/0]`, `OK  : ${url(3)} [0/0] (2 of 2 agree)`]);
  for (const peer of [1, 2, 4]) assert.is(stateOf(p, 'q3', peer), SEEDED_UP);
});

it('/view: 401 without credentials, the view with them; 404 on the node without the mode', () => {
  const view = got().view;
  for (const [node, i] of [
    ['q1', 1],
    ['q2', 2],
    ['q3', 3],
  ] as const) {
    assert.is(view[node]?.anonymous, 'HTTP/1.1 401 Unauthorized', node);
    assert.is(view[node]?.authorized, 'HTTP/1.1 200 OK', node);
    const body = JSON.parse(view[node]?.body ?? '{}') as { sentinella_view?: number; node?: string; peers?: Record<string, unknown> };
    assert.is(body.sentinella_view, 1);
    assert.is(body.node, `198.51.100.${i}`);
    assert.is(Object.keys(body.peers ?? {}).length, 3);
  }
  assert.is(view.q4?.anonymous, 'HTTP/1.1 401 Unauthorized');
  assert.is(view.q4?.authorized, 'HTTP/1.1 404 Not Found');
});

it('no program printed a stack trace or a failed round', () => {
  for (const [label, output] of Object.entries(got().outputs)) {
    assert.not.match(output, /round failed|\n {4}at |TypeError|ReferenceError/, label);
  }
});

test.run();
