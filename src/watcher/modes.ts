// Wiring of the opt-in modes of docs/behaviour.md §10 from the configuration, so the round (watcher.ts) only
// calls a delivery and a metrics hook: ALERTMANAGER_URLS wins over DIGEST (it sends nothing
// to Telegram); METRICS_FILE works with any delivery, the originals' one included.
import os from 'node:os';
import type { WatcherConfig } from '../env.ts';
import { log, white, type Stderr } from '../log.ts';
import { holdMs } from './alertmanager.ts';
import { AlertmanagerDelivery, DigestDelivery, outcomeOf, type RoundDelivery } from './delivery.ts';
import type { Evaluation } from './evaluate.ts';
import { MetricsRecorder, type NotificationOutcome } from './metrics.ts';
import type { DeliveryOutcome, TelegramOutbox } from './outbox.ts';
import { localAddresses } from './resolve.ts';
import { stateWrittenMs } from './state.ts';

export type { RoundDelivery, RoundPeer } from './delivery.ts';

/** This node's name in alerts: the first word of SELF, else its first detected address. */
export function thisNode(self: readonly string[] | null): string {
  return localAddresses(self)[0] ?? os.hostname();
}

export function deliveryFor(config: WatcherConfig, outbox: TelegramOutbox, stderr: Stderr): RoundDelivery | undefined {
  if (config.alertmanagerUrls.length > 0) {
    return new AlertmanagerDelivery({
      urls: config.alertmanagerUrls,
      reporter: thisNode(config.self),
      holdMs: holdMs(config.pollingIntervalSec, config.timeoutSec),
      postOptions: { timeoutMs: config.timeoutMs },
      stderr,
    });
  }
  if (config.digest) return new DigestDelivery(thisNode(config.self), (text) => outbox.deliver(text));
  return undefined;
}

/** METRICS_FILE around a round; does nothing when it is not set. */
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

  countNotify(outcome: DeliveryOutcome): void {
    this.count(outcomeOf(outcome));
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
