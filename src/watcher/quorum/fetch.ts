// Fetching other watchers' views under QUORUM (docs/behaviour.md §10.1): `GET <peer URL>/view`
// from a peer's probe (the URL the round polled, so its port is whatever discovery gave), with
// PEERS_TOKEN as every peer request, bounded by TIMEOUT, through the port's one outbound client
// (src/http/client.ts). Each address is asked at most once a round (a view
// covers every peer: the round shares it); a 404 (a node without the mode: the originals, or the
// port without QUORUM) is remembered for NO_VIEW_MEMORY_MS so the rankings leave it out.
import { send, type Reply, type SendOptions } from '../../http/client.ts';
import { MAX_VIEW_BYTES, parseView, type View } from './view.ts';

/** How long a 404 on /view keeps a node out of the rankings. */
export const NO_VIEW_MEMORY_MS = 3 * 60 * 1000;

export type Fetched =
  | { readonly kind: 'view'; readonly view: View }
  /** `absent`: the node answered 404 (it serves no view). */
  | { readonly kind: 'none'; readonly reason: string; readonly absent: boolean };

export interface ViewFetcherOptions {
  /** PEERS_TOKEN (base64 of user:pass), or null. */
  readonly token: string | null;
  readonly timeoutMs: number;
  /** Default Date.now. */
  readonly now?: () => number;
  /** Default src/http/client.ts's send (tests inject one). */
  readonly transport?: (request: SendOptions) => Promise<Reply>;
}

export class ViewFetcher {
  private round = new Map<string, Promise<Fetched>>();
  private readonly noViewUntil = new Map<string, number>();
  /** Requests sent since start (METRICS_FILE; the benchmark's requests per event). */
  requests = 0;

  constructor(private readonly options: ViewFetcherOptions) {}

  /** A new round: every view is fetched again when needed. */
  startRound(): void {
    this.round = new Map();
  }

  /** The node answered 404 on /view within NO_VIEW_MEMORY_MS. */
  servesNoView(address: string): boolean {
    const until = this.noViewUntil.get(address);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.noViewUntil.delete(address);
    return false;
  }

  /** Already fetched (or being fetched) this round. */
  has(address: string): boolean {
    return this.round.has(address);
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
      this.noViewUntil.set(address, this.now() + NO_VIEW_MEMORY_MS);
      return { kind: 'none', reason: 'HTTP 404', absent: true };
    }
    if (reply.status !== 200) return { kind: 'none', reason: `HTTP ${reply.status}`, absent: false };
    if (reply.truncated) return { kind: 'none', reason: `over ${MAX_VIEW_BYTES} bytes`, absent: false };
    const reading = parseView(reply.body, this.now() / 1000);
    return reading.kind === 'view' ? reading : { kind: 'none', reason: reading.reason, absent: false };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
