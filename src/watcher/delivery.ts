// The opt-in ways a round's changes leave the watcher (docs/behaviour.md §10), behind one interface: the
// round hands over every peer it polled, in order, and gets back which peers' states to write
// (D5: only what was delivered, or refused for good) and one outcome per notification for
// METRICS_FILE. The default (one Telegram message per change, watcher.ts report) is not one
// of these: it stays the originals' path, byte for byte.
//   DigestDelivery ........ DIGEST=1, one Telegram message per round (digest.ts)
//   AlertmanagerDelivery .. ALERTMANAGER_URLS, alerts to Alertmanager (alertmanager.ts)
import { log, white, type Stderr } from '../log.ts';
import { alertFor, postAlerts, type AlertmanagerAlert, type PostOptions, type PostResult } from './alertmanager.ts';
import { composeDigest, networkDownLine, type DigestChange } from './digest.ts';
import type { NotificationOutcome } from './metrics.ts';
import { writesState, type DeliveryOutcome } from './outbox.ts';

export interface RoundPeer {
  readonly url: string;
  readonly up: boolean;
  /** Today's line: `FAIL: <url> [g/t] — ...` or `OK  : <url> [g/t]`. */
  readonly message: string;
  /** The state string of this round and the one remembered before it ('' for none). */
  readonly state: string;
  readonly last: string;
  /** Whether it is to be notified (state changed, or SPAM=1). */
  readonly changed: boolean;
  /** When the remembered state was written (ms), for a state that survived a restart. */
  readonly lastWrittenMs: () => number | undefined;
}

export interface RoundResult {
  /** Indexes (into the round's peers) whose current state is to be written. */
  readonly written: readonly number[];
  readonly notifications: readonly NotificationOutcome[];
}

export interface RoundDelivery {
  deliver(peers: readonly RoundPeer[]): Promise<RoundResult>;
}

const wasUp = (last: string): boolean => last.startsWith('up:');
const wasDown = (last: string): boolean => last.startsWith('down:');

/** METRICS_FILE's outcome of one Telegram text: a text kept for a later round is 'retried'. */
export function outcomeOf(outcome: DeliveryOutcome): NotificationOutcome {
  return outcome === 'failed' || outcome === 'blocked' ? 'retried' : outcome;
}

export class DigestDelivery implements RoundDelivery {
  /**
   * @param node this node's name in the "lost k of n" line (first word of SELF, else the
   *   first detected address)
   * @param send the Telegram outbox's deliver (outbox.ts): refusals, 429 and postponing
   *   are handled there, as for single messages
   */
  constructor(
    private readonly node: string,
    private readonly send: (text: string) => Promise<DeliveryOutcome>,
  ) {}

  async deliver(peers: readonly RoundPeer[]): Promise<RoundResult> {
    const indexes = peers.flatMap((p, i) => (p.changed ? [i] : []));
    const changes: DigestChange[] = indexes.map((i) => {
      const p = peers[i] as RoundPeer;
      return { up: p.up, line: p.message, wasUp: wasUp(p.last) };
    });
    const written: number[] = [];
    const notifications: NotificationOutcome[] = [];
    if (changes.length === 0) return { written, notifications };
    const first = networkDownLine(this.node, changes, peers.length);
    for (const message of composeDigest(changes, first)) {
      const outcome = await this.send(message.text);
      notifications.push(outcomeOf(outcome));
      if (writesState(outcome)) written.push(...message.peers.map((k) => indexes[k] as number));
    }
    return { written, notifications };
  }
}

export interface AlertmanagerDeliveryOptions {
  readonly urls: readonly string[];
  /** This node, the `reporter` label. */
  readonly reporter: string;
  /** How long a firing alert lasts unless posted again (alertmanager.ts holdMs). */
  readonly holdMs: number;
  readonly post?: (urls: readonly string[], alerts: readonly AlertmanagerAlert[], options: PostOptions) => Promise<PostResult>;
  readonly postOptions: PostOptions;
  readonly now?: () => number;
  /** The program's stderr (the notify lines). */
  readonly stderr: Stderr;
}

export class AlertmanagerDelivery implements RoundDelivery {
  /** When this watcher first saw each down peer down (the alerts' startsAt). */
  private readonly downSince = new Map<string, number>();

  constructor(private readonly options: AlertmanagerDeliveryOptions) {}

  async deliver(peers: readonly RoundPeer[]): Promise<RoundResult> {
    const now = (this.options.now ?? Date.now)();
    const alerts: AlertmanagerAlert[] = [];
    const posted: number[] = [];
    const resolved: string[] = [];
    const written: number[] = [];
    peers.forEach((p, i) => {
      const alert = { peer: p.url, reporter: this.options.reporter, summary: p.message };
      if (!p.up) {
        let since = this.downSince.get(p.url);
        if (since === undefined) since = (wasDown(p.last) && !p.changed ? p.lastWrittenMs() : undefined) ?? now;
        this.downSince.set(p.url, since);
        alerts.push(alertFor({ ...alert, startsAtMs: since, endsAtMs: now + this.options.holdMs }));
        if (p.changed) posted.push(i);
      } else if (p.changed && (wasDown(p.last) || this.downSince.has(p.url))) {
        // Resolved: one post with endsAt = now (again next round if no Alertmanager took it).
        const since = this.downSince.get(p.url) ?? p.lastWrittenMs() ?? now;
        alerts.push(alertFor({ ...alert, startsAtMs: Math.min(since, now), endsAtMs: now }));
        posted.push(i);
        resolved.push(p.url);
      } else if (p.changed) {
        written.push(i); // up, and nothing to resolve: no alert
      }
    });
    if (alerts.length === 0) return { written, notifications: [] };
    const result = await (this.options.post ?? postAlerts)(this.options.urls, alerts, this.options.postOptions);
    for (const failure of result.failures) log(this.options.stderr, 'warn', `alertmanager: ${failure}`);
    if (!result.delivered) {
      for (const i of posted)
        log(
          this.options.stderr,
          'error',
          `notify failed: no Alertmanager took the alert, retried next round: ${(peers[i] as RoundPeer).message}`,
        );
      return { written, notifications: ['retried'] };
    }
    for (const url of resolved) this.downSince.delete(url);
    for (const i of posted) log(this.options.stderr, 'notice', `notify message: ${white((peers[i] as RoundPeer).message)}`);
    return { written: [...written, ...posted].sort((a, b) => a - b), notifications: ['delivered'] };
  }
}
