// METRICS_FILE (docs/behaviour.md §10): the watcher's view of the mesh in the Prometheus text format, for
// node_exporter's textfile collector (which reads `*.prom` files from its directory). The file
// is rewritten atomically (temp file + rename, state.ts) at the end of every round, so the
// collector never reads half a file. Rendering is pure; the recorder only remembers across
// rounds what a round alone cannot know (when a peer last changed, counts since start).
//
// Quorum across watchers (README "Large meshes"): every watcher exports
// sentinella_peer_up{peer=...}; more than half of them seeing a peer down is
//   count by (peer) (sentinella_peer_up == 0) > on (peer) count by (peer) (sentinella_peer_up) / 2
import { log, white, type Stderr } from '../log.ts';
import type { NotificationOutcome } from './delivery/delivery.ts';
import type { Evaluation } from './evaluate.ts';
import { stateWrittenMs, writeFileAtomic } from './state.ts';

const NOTIFICATION_OUTCOMES: readonly NotificationOutcome[] = ['delivered', 'retried', 'postponed', 'rejected'];

export interface PeerMetrics {
  readonly url: string;
  readonly up: boolean;
  /** `.status.summary.total` / `.ok` as read (jq text); not a number is exported as NaN. */
  readonly total: string;
  readonly good: string;
  /** Seconds since the epoch of the peer's last change seen by this watcher. */
  readonly lastChangeSec: number;
}

export interface RoundMetrics {
  readonly peers: readonly PeerMetrics[];
  readonly roundDurationSec: number;
  readonly roundEndSec: number;
  readonly notifications: Readonly<Record<NotificationOutcome, number>>;
}

/** A label value: backslash, double quote and newline escaped (the text format's rules). */
export function labelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** An integer as jq printed it, or NaN (`null`, a string, empty). */
function sampleValue(text: string): string {
  return /^-?\d+$/.test(text) ? String(Number(text)) : 'NaN';
}

function seconds(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** The whole file: HELP and TYPE once per metric, then its samples (peers in round order). */
export function renderMetrics(m: RoundMetrics): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: readonly string[]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  const perPeer = (name: string, value: (p: PeerMetrics) => string): string[] =>
    m.peers.map((p) => `${name}{peer="${labelValue(p.url)}"} ${value(p)}`);
  family(
    'sentinella_peer_up',
    'gauge',
    'Whether the peer was up in the last round (1) or down (0).',
    perPeer('sentinella_peer_up', (p) => (p.up ? '1' : '0')),
  );
  family(
    'sentinella_peer_checks',
    'gauge',
    "Number of checks in the peer's status summary (NaN when not read).",
    perPeer('sentinella_peer_checks', (p) => sampleValue(p.total)),
  );
  family(
    'sentinella_peer_checks_ok',
    'gauge',
    "Number of passing checks in the peer's status summary (NaN when not read).",
    perPeer('sentinella_peer_checks_ok', (p) => sampleValue(p.good)),
  );
  family(
    'sentinella_peer_last_change_timestamp_seconds',
    'gauge',
    "When this watcher last saw the peer's state change.",
    perPeer('sentinella_peer_last_change_timestamp_seconds', (p) => seconds(p.lastChangeSec)),
  );
  family('sentinella_watcher_round_duration_seconds', 'gauge', 'Duration of the last round (resolve, poll, notify).', [
    `sentinella_watcher_round_duration_seconds ${seconds(m.roundDurationSec)}`,
  ]);
  family('sentinella_watcher_round_end_timestamp_seconds', 'gauge', 'When the last round ended.', [
    `sentinella_watcher_round_end_timestamp_seconds ${seconds(m.roundEndSec)}`,
  ]);
  family('sentinella_watcher_peers', 'gauge', 'Number of peers polled in the last round.', [`sentinella_watcher_peers ${m.peers.length}`]);
  family(
    'sentinella_watcher_notifications_total',
    'counter',
    'Notifications since the watcher started, by outcome (retried: failed, sent again next round).',
    NOTIFICATION_OUTCOMES.map((o) => `sentinella_watcher_notifications_total{outcome="${o}"} ${m.notifications[o]}`),
  );
  return `${out.join('\n')}\n`;
}

/**
 * Remembers what the file needs across rounds: each peer's last change and the notification
 * counts. `observe` is called once per peer per round with the state the round computed and
 * the state file's content. A peer seen for the first time whose state equals its file has
 * been in it since the file was written (`fileTime`); otherwise a change is when a round first
 * computed the new state (whether or not its notification went through).
 */
export class MetricsRecorder {
  private readonly seen = new Map<string, { state: string; at: number }>();
  private readonly counts: Record<NotificationOutcome, number> = { delivered: 0, retried: 0, postponed: 0, rejected: 0 };
  private peers: PeerMetrics[] = [];

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  startRound(): void {
    this.peers = [];
  }

  observe(
    peer: { url: string; up: boolean; total: string; good: string },
    state: string,
    fileState: string,
    fileTime: () => number | undefined,
  ): void {
    const before = this.seen.get(peer.url);
    let at: number;
    if (before !== undefined) at = before.state === state ? before.at : this.now() / 1000;
    else at = state === fileState ? (fileTime() ?? this.now() / 1000) : this.now() / 1000;
    this.seen.set(peer.url, { state, at });
    this.peers.push({ ...peer, lastChangeSec: at });
  }

  count(outcome: NotificationOutcome, n = 1): void {
    this.counts[outcome] += n;
  }

  /** Renders and writes the file; a failure is returned (the caller logs it), never thrown. */
  write(roundStartMs: number): Error | undefined {
    const end = this.now();
    const text = renderMetrics({
      peers: this.peers,
      roundDurationSec: (end - roundStartMs) / 1000,
      roundEndSec: end / 1000,
      notifications: this.counts,
    });
    try {
      writeFileAtomic(this.file, text);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }
}

/** METRICS_FILE around the round (works with every delivery); does nothing when it is not set. */
export class MetricsHook {
  private readonly recorder: MetricsRecorder | undefined;
  private started = 0;
  private failing = false;

  constructor(
    private readonly file: string | null,
    private readonly stderr: Stderr,
  ) {
    this.recorder = file === null ? undefined : new MetricsRecorder(file);
  }

  startRound(): void {
    this.started = Date.now();
    this.recorder?.startRound();
  }

  observe(url: string, ev: Evaluation, state: string, last: string, stateFile: string): void {
    this.recorder?.observe({ url, up: ev.up, total: ev.total, good: ev.good }, state, last, () => {
      const ms = stateWrittenMs(stateFile);
      return ms === undefined ? undefined : ms / 1000;
    });
  }

  count(outcome: NotificationOutcome): void {
    this.recorder?.count(outcome);
  }

  endRound(): void {
    if (this.recorder === undefined) return;
    const err = this.recorder.write(this.started);
    // Said once until it works again: the file is a side output, the round goes on.
    if (err !== undefined && !this.failing)
      log(
        this.stderr,
        'error',
        `cannot write metrics file ${white(this.file ?? '')}: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
      );
    this.failing = err !== undefined;
  }
}
