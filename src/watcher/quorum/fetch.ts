// Fetching other watchers' views under QUORUM (docs/behaviour.md §10.1): `GET <peer URL>/view`
// from a peer's probe (the URL the round polled, so its port is whatever discovery gave), with
// PEERS_TOKEN as every peer request, bounded by TIMEOUT, through the port's one outbound client
// (src/http/client.ts). Each address is asked at most once a round (a view
// covers every peer: the round shares it). A node that has answered 404 for longer than
// `graceMs` serves no view (the originals, or the port without QUORUM): it leaves the rankings,
// and is not asked again for NO_VIEW_MEMORY_MS. The grace is for a watcher that is starting:
// its probe answers 404 until the watcher has written its first view, and a node left out of
// one watcher's rankings but not of the others' could make two of them send the same change.
import { send, type Reply, type SendOptions } from '../../http/client.ts';
import { MAX_VIEW_BYTES, parseView, type View } from './view.ts';

/** How long a node found to serve no view is left out of the rankings before it is asked again. */
export const NO_VIEW_MEMORY_MS = 3 * 60 * 1000;

export type Fetched =
  | { readonly kind: 'view'; readonly view: View }
  /** `absent`: the node answered 404 (it serves no view). */
  | { readonly kind: 'none'; readonly reason: string; readonly absent: boolean };

export interface ViewFetcherOptions {
  /** PEERS_TOKEN (base64 of user:pass), or null. */
  readonly token: string | null;
  readonly timeoutMs: number;
  /** How long a node's 404s must last before it counts as serving no view (a view's staleness bound). */
  readonly graceMs: number;
  /** Default Date.now. */
  readonly now?: () => number;
  /** Default src/http/client.ts's send (tests inject one). */
  readonly transport?: (request: SendOptions) => Promise<Reply>;
}

export class ViewFetcher {
  private round = new Map<string, Promise<Fetched>>();
  /** Nodes answering 404: since when, and the last one. A view deletes the entry. */
  private readonly notFound = new Map<string, { since: number; last: number }>();
  /** Requests sent since start (METRICS_FILE; the benchmark's requests per event). */
  requests = 0;

  constructor(private readonly options: ViewFetcherOptions) {}

  /** A new round: every view is fetched again when needed. */
  startRound(): void {
    this.round = new Map();
  }

  /** The node has answered 404 on /view for at least graceMs, the last one within NO_VIEW_MEMORY_MS. */
  servesNoView(address: string): boolean {
    const n = this.notFound.get(address);
    if (n === undefined) return false;
    const now = this.now();
    return now - n.last < NO_VIEW_MEMORY_MS && n.last - n.since >= this.options.graceMs;
  }

  /** The view of the node at `address` (polled at `url`) this round: fetched on the first call, the same answer afterwards. */
  fetch(address: string, url: string): Promise<Fetched> {
    let pending = this.round.get(address);
    if (pending === undefined) {
      pending = this.request(address, url);
      this.round.set(address, pending);
    }
    return pending;
  }

  private async request(address: string, url: string): Promise<Fetched> {
    const { options } = this;
    this.requests += 1;
    const reply = await (options.transport ?? send)({
      url: `${url}/view`,
      method: 'GET',
      headers: options.token !== null ? [['Authorization', `Basic ${options.token}`]] : [],
      timeoutMs: options.timeoutMs,
      maxBodyBytes: MAX_VIEW_BYTES,
    });
    if (reply.kind === 'failed') return { kind: 'none', reason: reply.error, absent: false };
    if (reply.status === 404) {
      const now = this.now();
      const before = this.notFound.get(address);
      // 404s a memory apart still make one run (a node without the mode is asked once a memory).
      const since = before !== undefined && now - before.last <= 2 * NO_VIEW_MEMORY_MS ? before.since : now;
      this.notFound.set(address, { since, last: now });
      return { kind: 'none', reason: 'HTTP 404', absent: true };
    }
    if (reply.status !== 200) return { kind: 'none', reason: `HTTP ${reply.status}`, absent: false };
    if (reply.truncated) return { kind: 'none', reason: `over ${MAX_VIEW_BYTES} bytes`, absent: false };
    const reading = parseView(reply.body, this.now() / 1000);
    if (reading.kind === 'none') return { kind: 'none', reason: reading.reason, absent: false };
    this.notFound.delete(address);
    return reading;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
