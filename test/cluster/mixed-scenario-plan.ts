// What the mixed cluster is made of, shared by mixed-scenario.ts (which runs it) and
// mixed.test.ts (which asserts on its report). No side effects: safe to import anywhere.
import { HUB_ADDRESS, hostAddress } from '../../scripts/lib/cluster.ts';

export const PEERS_DNS = 'peers.sentinella.test';
/** The SRV name of the SRV version (docs/behaviour.md §12): one record per host, `<host>.sentinella.test`. */
export const PEERS_SRV = '_sentinella._tcp.sentinella.test';
export const targetOf = (host: HostPlan): string => `${host.name}.sentinella.test`;
export const PORT = 5988;
export const HEALTH_URL = `http://${HUB_ADDRESS}:8080/health`;
export const AUTH_LINE = 'watch:s3cret';
export const TG_TOKEN = '123:mixed';

export type Side = 'legacy' | 'port';
/** How a watcher finds its peers: PEERS_DNS (§6.4), or PEERS_SRV (§12: the legacy side is `watcher-srv`). */
export type Discovery = 'dns' | 'srv';
export interface HostPlan {
  readonly name: string;
  readonly address: string;
  readonly probe: Side;
  readonly watcher: Side;
  readonly discovery: Discovery;
  readonly chatId: string;
}

export const HOSTS: readonly HostPlan[] = [
  { name: 'h1', address: hostAddress(1), probe: 'legacy', watcher: 'legacy', discovery: 'dns', chatId: '-1001' },
  { name: 'h2', address: hostAddress(2), probe: 'port', watcher: 'port', discovery: 'dns', chatId: '-1002' },
  { name: 'h3', address: hostAddress(3), probe: 'legacy', watcher: 'port', discovery: 'dns', chatId: '-1003' },
];

/**
 * A mesh of both discovery modes (mixed-srv.test.ts): the first version's watcher and the
 * port with PEERS_DNS beside upstream's SRV version and the port with PEERS_SRV.
 */
export const SRV_HOSTS: readonly HostPlan[] = [
  { name: 'h1', address: hostAddress(1), probe: 'legacy', watcher: 'legacy', discovery: 'dns', chatId: '-1001' },
  { name: 'h2', address: hostAddress(2), probe: 'port', watcher: 'legacy', discovery: 'srv', chatId: '-1002' },
  { name: 'h3', address: hostAddress(3), probe: 'port', watcher: 'port', discovery: 'srv', chatId: '-1003' },
  { name: 'h4', address: hostAddress(4), probe: 'legacy', watcher: 'port', discovery: 'dns', chatId: '-1004' },
];

export interface ClusterPlan {
  readonly hosts: readonly HostPlan[];
  /** The host whose probe is stopped and started again. */
  readonly stopped: string;
  /** How many messages each phase brings (the scenario waits for them), in phase order. */
  readonly counts: readonly [number, number, number, number, number];
}

export const PLANS: Readonly<Record<string, ClusterPlan>> = {
  mixed: { hosts: HOSTS, stopped: 'h2', counts: [6, 2, 2, 6, 6] },
  // The legacy SRV watcher reads no summary from /status bodies (D44): it never sees the
  // checked URL fail, so it sends nothing in the last two phases.
  'mixed-srv': { hosts: SRV_HOSTS, stopped: 'h3', counts: [12, 3, 3, 9, 9] },
};

/** The phases, in order (mixed.test.ts and mixed-srv.test.ts assert on these names). */
export function phasesOf(plan: ClusterPlan): string[] {
  return ['start', `${plan.stopped} probe stopped`, `${plan.stopped} probe started again`, 'checked URL down', 'checked URL back'];
}

export interface Message {
  readonly phase: string;
  readonly chatId: string;
  readonly text: string;
  readonly body: string;
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
}

export interface PhaseRecord {
  readonly name: string;
  readonly expected: number;
  readonly reached: boolean;
  readonly received: number;
  /** Every watcher's state directory after the phase: host -> file name -> content. */
  readonly state: Record<string, Record<string, string>>;
}

export interface Report {
  readonly error?: string;
  readonly phases: PhaseRecord[];
  readonly messages: Message[];
  /** Status line each probe gave a request without credentials. */
  readonly unauthenticated: Record<string, string>;
  /** Everything each program wrote (stderr), by label like `h1 watcher`. */
  readonly outputs: Record<string, string>;
}
