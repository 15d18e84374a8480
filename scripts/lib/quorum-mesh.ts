// A mesh of N real nodes for QUORUM's test and benchmark (test/cluster/quorum.test.ts,
// scripts/bench-quorum.mjs): each node a network namespace running the port's probe and
// watcher, with two interfaces, as nodes that talk over a private network and reach the
// internet on another:
//
//   eth0  192.0.2.<i>/24     the "internet": the hub (192.0.2.254) serves DNS and the fake
//                            Telegram (flood control on: 1 message a second, 20 a minute)
//   eth1  198.51.100.<i>/24  the private mesh: peers.quorum.test has these A records; the
//                            watchers poll each other's probes there (SELF = this address)
//
// so cutting a node's eth1 cuts its link to the peers while it still reaches Telegram. Probes
// require Basic Auth (AUTH_FILE), watchers send PEERS_TOKEN. State files can be seeded as all
// up (`up:0/0:200`: a probe without URLS). Must run inside scripts/lib/cluster.ts's private
// namespaces (createCluster refuses otherwise); the kernel removes everything when they end.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cksum, createCluster, destroyCluster, HUB_ADDRESS, startInHost, type HostProcess } from './cluster.ts';
import { startDnsServer, type RunningDnsServer } from './dns.ts';
import { waitForPort } from './net.ts';
import { runOrThrow } from './process.ts';
import { startFakeTelegram, type RunningFakeTelegram } from './telegram.ts';
import { makeTestCa } from './tls.ts';

export const MESH_DNS = 'peers.quorum.test';
export const meshAddress = (index: number): string => `198.51.100.${index}`;
export const nodeName = (index: number): string => `q${index}`;
export const peerUrlOf = (index: number): string => `http://${meshAddress(index)}:${PORT}`;
const PORT = 5988;
const AUTH_LINE = 'mesh:secret';
/** A probe without URLS answers `{"total":0,"ok":0}`: this state. */
export const SEEDED_UP = 'up:0/0:200';

export interface MeshOptions {
  readonly nodes: number;
  readonly workDir: string;
  /** The port's bin dir (probe, watcher). */
  readonly portBin: string;
  /** QUORUM for node i (1-based); null: the mode off there (no QUORUM, no VIEW_FILE on either program). */
  readonly quorum: (index: number) => string | null;
  readonly timeoutS: number;
  readonly pollS: number;
  /** Seed every state file as up (the mesh has been running); else a fresh start. */
  readonly seedUp: boolean;
}

export interface MeshMessage {
  /** ms since the epoch, when the fake Telegram received it. */
  readonly at: number;
  readonly text: string;
  /** Telegram accepted it (200). */
  readonly accepted: boolean;
}

export interface Mesh {
  readonly addresses: readonly string[];
  /** Every sendMessage the fake Telegram received, in order. */
  readonly messages: MeshMessage[];
  stopProbe(index: number): Promise<void>;
  startProbe(index: number): Promise<void>;
  stopWatcher(index: number): Promise<void>;
  /** Cuts (or restores) node i's private link (eth1): it still reaches DNS and Telegram. */
  cut(index: number): void;
  restore(index: number): void;
  /** sentinella_quorum_view_requests_total from node i's METRICS_FILE (0 when absent). */
  viewRequests(index: number): number;
  /** Each program's output so far, by label (`q3 watcher`). */
  outputs(): Record<string, string>;
  close(): Promise<void>;
}

const indexes = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

export async function startMesh(options: MeshOptions): Promise<Mesh> {
  const { nodes, workDir, portBin } = options;
  const names = indexes(nodes).map(nodeName);
  createCluster({ hosts: names, workDir, hostsEntries: { 'api.telegram.org': HUB_ADDRESS } });
  addMeshBridge(names);
  const ca = makeTestCa(path.join(workDir, 'ca'), { dnsNames: ['api.telegram.org'], ips: [HUB_ADDRESS] });
  const addresses = indexes(nodes).map(meshAddress);
  const dns: RunningDnsServer = await startDnsServer({ host: HUB_ADDRESS, port: 53, records: { [MESH_DNS]: { A: addresses } } });
  const messages: MeshMessage[] = [];
  const telegram: RunningFakeTelegram = await startFakeTelegram({
    host: HUB_ADDRESS,
    port: 443,
    key: readFileSync(ca.keyPath),
    cert: readFileSync(ca.certPath),
    api: {},
    onRequest: (r) => messages.push({ at: Date.now(), text: r.text, accepted: r.status === 200 }),
  });
  const authFile = path.join(workDir, 'auth');
  writeFileSync(authFile, `${AUTH_LINE}\n`);
  const basePath = `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
  const dir = (i: number, ...rest: string[]) => path.join(workDir, nodeName(i), ...rest);
  const viewEnv = (i: number) => (options.quorum(i) === null ? {} : { VIEW_FILE: dir(i, 'view.json') });

  for (const i of indexes(nodes)) {
    mkdirSync(dir(i, 'state'), { recursive: true });
    mkdirSync(dir(i, 'home'), { recursive: true });
    if (options.seedUp) {
      for (const j of indexes(nodes)) if (j !== i) writeFileSync(dir(i, 'state', `${cksum(peerUrlOf(j))}.state`), SEEDED_UP);
    }
  }

  const probes = new Map<number, HostProcess>();
  const watchers = new Map<number, HostProcess>();
  const finished: HostProcess[] = [];
  const startProbe = async (i: number): Promise<void> => {
    const probe = startInHost(`${nodeName(i)} probe`, nodeName(i), [path.join(portBin, 'probe')], {
      PATH: basePath,
      PORT: String(PORT),
      VOLUMES: '/',
      TIMEOUT: String(options.timeoutS),
      AUTH_FILE: authFile,
      ...viewEnv(i),
    });
    probes.set(i, probe);
    // Reached on eth0 from the hub: eth1 may be cut.
    if (!(await waitForPort(`192.0.2.${i}`, PORT, 20_000))) throw new Error(`${nodeName(i)}'s probe never listened`);
  };
  const startWatcher = (i: number): void => {
    const quorum = options.quorum(i);
    watchers.set(
      i,
      startInHost(`${nodeName(i)} watcher`, nodeName(i), [path.join(portBin, 'watcher')], {
        PATH: basePath,
        HOME: dir(i, 'home'),
        NO_COLOR: '1',
        PEERS_DNS: MESH_DNS,
        SELF: meshAddress(i),
        PEERS_PORT: String(PORT),
        PEERS_TOKEN: Buffer.from(AUTH_LINE).toString('base64'),
        TG_TOKEN: '123:abc',
        TG_CHAT_ID: '-100',
        TIMEOUT: String(options.timeoutS),
        POLLING_INTERVAL_SEC: String(options.pollS),
        STATE_DIR: dir(i, 'state'),
        METRICS_FILE: dir(i, 'metrics.prom'),
        NODE_EXTRA_CA_CERTS: ca.caPath,
        ...(quorum === null ? {} : { QUORUM: quorum }),
        ...viewEnv(i),
      }),
    );
  };
  const stop = async (map: Map<number, HostProcess>, i: number): Promise<void> => {
    const child = map.get(i);
    if (child === undefined) return;
    map.delete(i);
    await child.stop(1000);
    finished.push(child);
  };

  try {
    await Promise.all(indexes(nodes).map(startProbe));
    for (const i of indexes(nodes)) startWatcher(i);
  } catch (error) {
    for (const child of [...watchers.values(), ...probes.values()]) await child.stop(1000);
    await Promise.all([telegram.close(), dns.close()]);
    destroyCluster(names);
    throw error;
  }

  const link = (i: number, state: 'up' | 'down') => runOrThrow('ip', ['-n', nodeName(i), 'link', 'set', 'eth1', state]);
  return {
    addresses,
    messages,
    stopProbe: (i) => stop(probes, i),
    startProbe,
    stopWatcher: (i) => stop(watchers, i),
    cut: (i) => link(i, 'down'),
    restore: (i) => link(i, 'up'),
    viewRequests(i) {
      let text = '';
      try {
        text = readFileSync(dir(i, 'metrics.prom'), 'utf8');
      } catch {
        return 0;
      }
      return Number(/^sentinella_quorum_view_requests_total (\d+)$/m.exec(text)?.[1] ?? 0);
    },
    outputs() {
      const out: Record<string, string> = {};
      for (const child of [...finished, ...probes.values(), ...watchers.values()])
        out[child.label] = (out[child.label] ?? '') + child.output();
      return out;
    },
    async close() {
      // Watchers first: a watcher still running while the probes stop would alert about them.
      for (const i of [...watchers.keys()]) await stop(watchers, i);
      for (const i of [...probes.keys()]) await stop(probes, i);
      await Promise.all([telegram.close(), dns.close()]);
      runOrThrow('ip', ['link', 'del', 'qbr0']);
      destroyCluster(names);
    },
  };
}

/** The private mesh: bridge qbr0 (no address in the hub), eth1 of every node on it. */
function addMeshBridge(names: readonly string[]): void {
  runOrThrow('ip', ['link', 'add', 'qbr0', 'type', 'bridge']);
  runOrThrow('ip', ['link', 'set', 'qbr0', 'up']);
  names.forEach((name, k) => {
    runOrThrow('ip', ['link', 'add', `m-${name}`, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', name]);
    runOrThrow('ip', ['link', 'set', `m-${name}`, 'master', 'qbr0', 'up']);
    runOrThrow('ip', ['-n', name, 'addr', 'add', `${meshAddress(k + 1)}/24`, 'dev', 'eth1']);
    runOrThrow('ip', ['-n', name, 'link', 'set', 'eth1', 'up']);
  });
}
