// ALERTMANAGER_URLS (docs/behaviour.md §10): the watcher hands its alerts to Alertmanager (API v2,
// `POST /api/v2/alerts`) instead of Telegram, as Prometheus does: every Alertmanager of the
// list gets every post, and their HA cluster deduplicates, groups (by alertname and peer, see
// packaging/alertmanager/alertmanager.yml) and sends one message however many watchers see a
// peer down. One alert per down peer and reporting watcher:
//   labels      alertname="SentinellaPeerDown", peer="<peer url>", reporter="<this node>"
//   annotations summary="<today's message: FAIL: <url> [g/t] — <failing checks>>"
//   startsAt    when this watcher first saw the peer down
//   endsAt      a few rounds ahead while it is down (re-posted every round, so an Alertmanager
//               restarted or a post lost heals by itself); now, once, when it is up again
// Delivered = at least one Alertmanager's status line said 2xx (its body may come too late);
// otherwise the caller keeps the states unwritten and the next round posts again (D5).
// This file is the API client (what is posted, and how); alertmanager.ts is the delivery.
import { post } from '../../http/client.ts';

export const ALERT_NAME = 'SentinellaPeerDown';

export interface AlertmanagerAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
}

export interface PeerAlert {
  readonly peer: string;
  readonly reporter: string;
  /** More labels (QUORUM: `confirmed`, docs/behaviour.md §10.1). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly summary: string;
  readonly startsAtMs: number;
  readonly endsAtMs: number;
}

export function alertFor(a: PeerAlert): AlertmanagerAlert {
  return {
    labels: { alertname: ALERT_NAME, peer: a.peer, reporter: a.reporter, ...a.labels },
    annotations: { summary: a.summary },
    startsAt: new Date(a.startsAtMs).toISOString(),
    endsAt: new Date(a.endsAtMs).toISOString(),
    generatorURL: a.peer,
  };
}

/**
 * How far ahead a firing alert ends unless posted again: four rounds at their longest (a
 * round is at most TIMEOUT for the peers plus TIMEOUT for the post, then the interval), and
 * never under a minute, so a watcher that stops posting lets its alerts expire, but a slow
 * round does not resolve them. At most a century, so endsAt stays a date whatever the interval
 * (`sleep` reads `inf` or `1e400` as for ever, D14).
 */
export function holdMs(pollingIntervalSec: number, timeoutSec: number): number {
  return Math.min(MAX_HOLD_MS, Math.max(60_000, 4 * (pollingIntervalSec + 2 * timeoutSec) * 1000));
}

const MAX_HOLD_MS = 100 * 365 * 24 * 3600 * 1000;

/** `<base>/api/v2/alerts`, whatever the base's trailing slashes. */
export function alertsEndpoint(base: string): string {
  return `${base.replace(/\/+$/, '')}/api/v2/alerts`;
}

export interface PostResult {
  /** At least one Alertmanager answered 2xx (status line). */
  readonly delivered: boolean;
  /** `<base url>: <what went wrong>` for every Alertmanager that did not take the post. */
  readonly failures: readonly string[];
}

export interface PostOptions {
  readonly timeoutMs: number;
}

/** Posts the alerts to every Alertmanager at once. */
export async function postAlerts(
  bases: readonly string[],
  alerts: readonly AlertmanagerAlert[],
  options: PostOptions,
): Promise<PostResult> {
  const body = Buffer.from(JSON.stringify(alerts), 'utf8');
  const results = await Promise.all(
    bases.map(async (base): Promise<string | undefined> => {
      const url = alertsEndpoint(base);
      if (!URL.canParse(url)) return `${base}: not a URL`;
      const r = await post(url, 'application/json', body, { timeoutMs: options.timeoutMs, maxBodyBytes: 4096 });
      // A 2xx status line means the alerts were taken, even when the body that follows is cut
      // (slower than the timeout, a reset): posting them again is not needed (D5).
      if (r.status >= 200 && r.status < 300) return undefined;
      if (r.kind === 'failed') return `${base}: ${r.error}`;
      const detail = r.body.toString('utf8').trim().slice(0, 200);
      return `${base}: HTTP ${r.status}${detail !== '' ? ` ${detail}` : ''}`;
    }),
  );
  const failures = results.filter((f): f is string => f !== undefined);
  return { delivered: failures.length < bases.length, failures };
}
