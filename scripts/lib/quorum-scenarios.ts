// The events of issue 16's targets, played on a real mesh (quorum-mesh.ts) and measured from
// what the fake Telegram received: scripts/bench-quorum.mjs runs each in a fresh mesh, with
// QUORUM and without (the same nodes, the same event), and tabulates them.
//
//   dies   the last node's probe stops; after WINDOW_S it starts again
//   cut    the last node's private link (eth1) goes down (it still reaches Telegram); after
//          WINDOW_S it comes back
//   kill3  the last node's probe stops and 0.5 s later the watchers of the 3 nodes ranked first
//          for it (ranking.ts: the ones that would send its FAIL) are stopped
//
// Every figure counts messages Telegram accepted. "About the others": FAIL/OK lines naming a
// node other than the one the event is about.
import { rank } from '../../src/watcher/quorum/ranking.ts';
import { meshAddress, peerUrlOf, type Mesh, type MeshMessage } from './quorum-mesh.ts';
import { sleep, waitUntil } from './process.ts';

export type ScenarioName = 'dies' | 'cut' | 'kill3';
export const SCENARIOS: readonly ScenarioName[] = ['dies', 'cut', 'kill3'];
/** After the first message about an event, this long is watched for more (copies, late ones). */
export const WINDOW_S = 15;
/** An event with no message after this long counts as lost. */
export const BOUND_S = 40;

export interface Phase {
  /** Seconds from the event to the first accepted message about it (null: none within BOUND_S). */
  readonly firstS: number | null;
  /** Accepted FAIL (or OK) lines naming the node the event is about. */
  readonly aboutIt: number;
  /** Accepted FAIL/OK lines naming any other node. */
  readonly aboutOthers: number;
  /** Accepted lines saying a node cannot reach its peers (QUORUM's isolation line). */
  readonly isolation: number;
  /** /view requests of every watcher during the phase (QUORUM only). */
  readonly viewRequests: number;
}

export interface ScenarioResult {
  /** Accepted messages while the mesh settled (state files seeded up: none expected). */
  readonly atStart: number;
  /** The failure (or cut), then the recovery (none for kill3). */
  readonly down: Phase;
  readonly back?: Phase;
}

const accepted = (m: MeshMessage, since: number) => m.accepted && m.at >= since;
const names = (text: string, index: number) => text.includes(`${peerUrlOf(index)} `) || text.endsWith(peerUrlOf(index));

export async function runScenario(mesh: Mesh, scenario: ScenarioName, nodes: number, settleS: number): Promise<ScenarioResult> {
  const victim = nodes;
  const all = Array.from({ length: nodes }, (_, i) => i + 1);
  await sleep(settleS * 1000);
  const atStart = mesh.messages.filter((m) => m.accepted).length;
  const requests = () => all.reduce((sum, i) => sum + mesh.viewRequests(i), 0);

  const phase = async (prefix: 'FAIL' | 'OK  ', act: () => Promise<void> | void): Promise<Phase> => {
    const before = requests();
    const since = Date.now();
    await act();
    const first = () => mesh.messages.find((m) => accepted(m, since) && m.text.startsWith(prefix) && names(m.text, victim));
    await waitUntil(() => first() !== undefined, BOUND_S * 1000, 50);
    const hit = first();
    await sleep(hit ? Math.max(0, hit.at + WINDOW_S * 1000 - Date.now()) : 0);
    const seen = mesh.messages.filter((m) => accepted(m, since));
    return {
      firstS: hit ? (hit.at - since) / 1000 : null,
      aboutIt: seen.filter((m) => m.text.startsWith(prefix) && names(m.text, victim)).length,
      aboutOthers: seen.filter((m) => /^(FAIL|OK {2}): /.test(m.text) && all.some((i) => i !== victim && names(m.text, i))).length,
      isolation: seen.filter((m) => m.text.includes(' cannot reach ')).length,
      viewRequests: requests() - before,
    };
  };

  if (scenario === 'dies') {
    const down = await phase('FAIL', () => mesh.stopProbe(victim));
    const back = await phase('OK  ', () => mesh.startProbe(victim));
    return { atStart, down, back };
  }
  if (scenario === 'cut') {
    const down = await phase('FAIL', () => mesh.cut(victim));
    const back = await phase('OK  ', () => mesh.restore(victim));
    return { atStart, down, back };
  }
  // kill3: the three watchers that rank first for the victim (among those that poll it).
  const first3 = rank(meshAddress(victim), all.filter((i) => i !== victim).map(meshAddress))
    .slice(0, 3)
    .map((address) => all.find((i) => meshAddress(i) === address) as number);
  const down = await phase('FAIL', async () => {
    await mesh.stopProbe(victim);
    await sleep(500);
    await Promise.all(first3.map((i) => mesh.stopWatcher(i)));
  });
  return { atStart, down };
}
