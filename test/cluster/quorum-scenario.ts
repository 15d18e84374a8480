// QUORUM on real processes, run inside private namespaces by quorum.test.ts (which asserts on
// the JSON report this writes). Four nodes (scripts/lib/quorum-mesh.ts: a private link between
// them, another to DNS and the fake Telegram), state files seeded as all up, TIMEOUT=2,
// POLLING_INTERVAL_SEC=1:
//
//   q1 q2 q3  QUORUM=majority, VIEW_FILE on probe and watcher
//   q4        the mode off (no QUORUM, no VIEW_FILE): a node of a mixed cluster, /view is 404
//
// Phases: the fresh start; q1's probe stops, starts again; q3's private link is cut, comes back. After each,
// until the expected messages came (bounded) and WINDOW_MS more: the messages, every node's
// state files. Also what a probe answers to `GET /view` with and without credentials.
//
//   node --import tsx test/cluster/quorum-scenario.ts <report.json> <port bin>
// (only inside enterPrivateNamespaces; it refuses to run anywhere else)
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insidePrivateNamespaces } from '../../scripts/lib/cluster.ts';
import { sleep, waitUntil } from '../../scripts/lib/process.ts';
import { nodeName, startMesh, type Mesh } from '../../scripts/lib/quorum-mesh.ts';

const NODES = 4;
const QUORUM_NODES = [1, 2, 3];
/** After the expected messages came: this long more, to see any copy. */
const WINDOW_MS = 4000;
const PHASE_BOUND_MS = 15_000;

export interface QuorumReport {
  atStart: string[];
  readonly phases: Array<{
    readonly name: string;
    readonly reached: boolean;
    readonly texts: string[];
    /** State files by node, file name -> content. */
    readonly states: Record<string, Record<string, string>>;
  }>;
  /** Status lines of `GET /view` on each node: without credentials, with them. */
  readonly view: Record<string, { readonly anonymous: string; readonly authorized: string; readonly body: string }>;
  outputs: Record<string, string>;
  error?: string;
}

async function main(): Promise<void> {
  const [reportPath, portBin] = process.argv.slice(2);
  if (!insidePrivateNamespaces() || !reportPath || !portBin) {
    process.stderr.write('quorum-scenario: run by test/cluster/quorum.test.ts only\n');
    process.exit(2);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'sentinella-quorum-'));
  const report: QuorumReport = { atStart: [], phases: [], view: {}, outputs: {} };
  let mesh: Mesh | undefined;
  try {
    mesh = await startMesh({
      nodes: NODES,
      workDir: work,
      portBin,
      quorum: (i) => (QUORUM_NODES.includes(i) ? 'majority' : null),
      timeoutS: 2,
      pollS: 1,
      seedUp: false,
    });
    const m = mesh;
    // A fresh start: one OK per peer from the quorum nodes, one per peer from q4 (3), 1 a second.
    await waitUntil(() => m.messages.filter((x) => x.accepted).length >= 7, PHASE_BOUND_MS);
    await sleep(WINDOW_MS);
    report.atStart = m.messages.filter((x) => x.accepted).map((x) => x.text);
    const states = (): Record<string, Record<string, string>> => {
      const out: Record<string, Record<string, string>> = {};
      for (let i = 1; i <= NODES; i++) {
        const dir = path.join(work, nodeName(i), 'state');
        out[nodeName(i)] = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
      }
      return out;
    };
    const phase = async (name: string, expected: number, act: () => Promise<void> | void): Promise<void> => {
      const since = Date.now();
      await act();
      const texts = () => m.messages.filter((x) => x.accepted && x.at >= since).map((x) => x.text);
      const reached = await waitUntil(() => texts().length >= expected, PHASE_BOUND_MS);
      await sleep(WINDOW_MS);
      report.phases.push({ name, reached, texts: texts(), states: states() });
    };
    await phase('q1 probe stopped', 2, () => m.stopProbe(1));
    await phase('q1 probe started again', 2, () => m.startProbe(1));
    await phase('q3 link cut', 3, () => m.cut(3));
    await phase('q3 link back', 2, () => m.restore(3));
    for (let i = 1; i <= NODES; i++) report.view[nodeName(i)] = await viewAnswers(`192.0.2.${i}`);
  } catch (error) {
    report.error = (error as Error).stack ?? String(error);
  } finally {
    if (mesh) {
      report.outputs = mesh.outputs();
      await mesh.close();
    }
    writeFileSync(reportPath, JSON.stringify(report, null, 2));
    rmSync(work, { recursive: true, force: true });
  }
}

/** `GET /view` on a node's probe (from the hub, over eth0), without and with the mesh's credentials. */
async function viewAnswers(host: string): Promise<{ anonymous: string; authorized: string; body: string }> {
  const anonymous = await exchange(host, 'GET /view HTTP/1.1\r\nHost: p\r\n\r\n');
  const token = Buffer.from('mesh:secret').toString('base64');
  const authorized = await exchange(host, `GET /view HTTP/1.1\r\nHost: p\r\nAuthorization: Basic ${token}\r\n\r\n`);
  const split = authorized.indexOf('\r\n\r\n');
  return { anonymous: anonymous.split('\r\n')[0] ?? '', authorized: authorized.split('\r\n')[0] ?? '', body: authorized.slice(split + 4) };
}

function exchange(host: string, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: 5988 });
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

await main();
