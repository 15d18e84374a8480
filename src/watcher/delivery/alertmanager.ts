// ALERTMANAGER_URLS (docs/behaviour.md §10): the round's alerts posted to Alertmanager at the end
// of the round, every down peer every round (alertmanager-api.ts says what is posted); nothing
// goes to Telegram.
import { log, white, type Stderr } from '../../log.ts';
import { alertFor, postAlerts, type AlertmanagerAlert, type PostOptions, type PostResult } from './alertmanager-api.ts';
import { wasDown, WholeRoundDelivery, type Handled, type RoundPeer } from './delivery.ts';

export interface AlertmanagerDeliveryOptions {
  readonly urls: readonly string[];
  /** This node, the `reporter` label. */
  readonly reporter: string;
  /** How long a firing alert lasts unless posted again (alertmanager-api.ts holdMs). */
  readonly holdMs: number;
  readonly post?: (urls: readonly string[], alerts: readonly AlertmanagerAlert[], options: PostOptions) => Promise<PostResult>;
  readonly postOptions: PostOptions;
  readonly now?: () => number;
  /** The program's stderr (the notify lines). */
  readonly stderr: Stderr;
}

export class AlertmanagerDelivery extends WholeRoundDelivery {
  /** When this watcher first saw each down peer down (the alerts' startsAt). */
  private readonly downSince = new Map<string, number>();

  constructor(private readonly options: AlertmanagerDeliveryOptions) {
    super();
  }

  protected async *deliver(peers: readonly RoundPeer[]): AsyncIterable<Handled> {
    const now = (this.options.now ?? Date.now)();
    const alerts: AlertmanagerAlert[] = [];
    const posted: RoundPeer[] = [];
    const resolved: string[] = [];
    const written: RoundPeer[] = [];
    for (const p of peers) {
      const alert = { peer: p.url, reporter: this.options.reporter, summary: p.message };
      if (!p.up) {
        let since = this.downSince.get(p.url);
        if (since === undefined) since = (wasDown(p.last) && !p.changed ? p.lastWrittenMs() : undefined) ?? now;
        this.downSince.set(p.url, since);
        alerts.push(alertFor({ ...alert, startsAtMs: since, endsAtMs: now + this.options.holdMs }));
        if (p.changed) posted.push(p);
      } else if (p.changed && (wasDown(p.last) || this.downSince.has(p.url))) {
        // Resolved: one post with endsAt = now (again next round if no Alertmanager took it).
        const since = this.downSince.get(p.url) ?? p.lastWrittenMs() ?? now;
        alerts.push(alertFor({ ...alert, startsAtMs: Math.min(since, now), endsAtMs: now }));
        posted.push(p);
        resolved.push(p.url);
      } else if (p.changed) {
        written.push(p); // up, and nothing to resolve: no alert
      }
    }
    if (alerts.length === 0) {
      yield { written, notifications: [] };
      return;
    }
    const result = await (this.options.post ?? postAlerts)(this.options.urls, alerts, this.options.postOptions);
    for (const failure of result.failures) log(this.options.stderr, 'warn', `alertmanager: ${failure}`);
    if (!result.delivered) {
      for (const p of posted)
        log(this.options.stderr, 'error', `notify failed: no Alertmanager took the alert, retried next round: ${p.message}`);
      yield { written, notifications: ['retried'] };
      return;
    }
    for (const url of resolved) this.downSince.delete(url);
    for (const p of posted) log(this.options.stderr, 'notice', `notify message: ${white(p.message)}`);
    const taken = new Set([...written, ...posted]);
    yield { written: peers.filter((p) => taken.has(p)), notifications: ['delivered'] }; // in the peers' order
  }
}
