// What the mixed cluster is made of, shared by mixed-scenario.ts (which runs it) and
// mixed.test.ts (which asserts on its report). No side effects: safe to import anywhere.
import { HUB_ADDRESS, hostAddress } from '../../scripts/lib/cluster.ts';

export const PEERS_DNS = 'peers.sentinella.test';
export const PORT = 5988;
export const HEALTH_URL = `http://${HUB_ADDRESS}:8080/health`;
export const AUTH_LINE = 'watch:s3cret';
export const TG_TOKEN = '123:mixed';

export type Side = 'legacy' | 'port';
export interface HostPlan {
  readonly name: string;
  readonly address: string;
  readonly probe: Side;
  readonly watcher: Side;
  readonly chatId: string;
}

export const HOSTS: readonly HostPlan[] = [
  { name: 'h1', address: hostAddress(1), probe: 'legacy', watcher: 'legacy', chatId: '-1001' },
  { name: 'h2', address: hostAddress(2), probe: 'port', watcher: 'port', chatId: '-1002' },
  { name: 'h3', address: hostAddress(3), probe: 'legacy', watcher: 'port', chatId: '-1003' },
];

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
