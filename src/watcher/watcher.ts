// The watcher's rounds (docs/behaviour.md §6.3-7). A round finds the peers (discovery/), polls
// them all at once, then, in the peers' order, prints exactly what the originals print for each
// (curl's line, then the shell's), hands it to the delivery (delivery/: the notify lines) and
// writes the states the delivery says were announced. The next round starts
// POLLING_INTERVAL_SEC after this one ended. See README.md here for where things go.
import type { WatcherConfig } from '../env.ts';
import { log, white, type Stderr } from '../log.ts';
import { sleep } from '../timers.ts';
import { deliverRound, type Delivery, type Handled, type RoundPeer } from './delivery/delivery.ts';
import { deliveryFor } from './delivery/for-config.ts';
import { silencePolicy } from './delivery/silence.ts';
import { discoveryFor, type Discovery } from './discovery/discovery.ts';
import { evaluate } from './evaluate.ts';
import { fitMessage, formatState } from './message.ts';
import { MetricsHook } from './metrics.ts';
import { pollPeers, type PeerReply } from './poll.ts';
import { StateFiles, statePath, stateWrittenMs } from './state.ts';

export interface WatcherRuntime {
  /** The program path dash prefixes its own error lines with (process.argv[1]). */
  readonly programPath: string;
  /** Where every line goes (fd 2); src/bin/watcher.ts passes log.ts's processStderr. */
  readonly stderr: Stderr;
}

export class Watcher {
  private readonly discovery: Discovery;
  /** How changes leave the watcher: Telegram (one message per change, or DIGEST=1), or ALERTMANAGER_URLS. */
  private readonly delivery: Delivery;
  private readonly states: StateFiles;
  /** METRICS_FILE (does nothing when unset). */
  private readonly metrics: MetricsHook;
  private readonly stderr: Stderr;

  constructor(
    private readonly config: WatcherConfig,
    private readonly runtime: WatcherRuntime,
  ) {
    this.stderr = runtime.stderr;
    this.discovery = discoveryFor(config);
    const silences = silencePolicy(config.stateDir, this.stderr);
    this.delivery = silences.around(deliveryFor(config, this.stderr, silences));
    this.states = new StateFiles(config.stateDir, this.stderr);
    this.metrics = new MetricsHook(config.metricsFile, this.stderr);
  }

  /** Rounds until the process ends: TERM, INT and HUP end it by process.exit (D13, src/bin/watcher.ts). */
  async run(): Promise<never> {
    for (;;) {
      try {
        await this.round();
      } catch (err) {
        // A bug must not stop the monitoring: say so and try again next round.
        // The message only: no stack trace reaches the operator, whatever a peer answered.
        log(this.stderr, 'error', `round failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await sleep(this.config.pollingIntervalSec * 1000);
    }
  }

  async round(): Promise<void> {
    const { config } = this;
    this.metrics.startRound();
    log(this.stderr, 'info', `polling peers via ${white(config.peersDns)} every ${white(config.pollingIntervalText)}s`);
    const found = await this.discovery.peers();
    for (const warning of found.warnings) log(this.stderr, 'warn', warning);
    const replies = await pollPeers(found.urls, { token: config.peersToken, timeoutMs: config.timeoutMs });
    await deliverRound(this.delivery, this.observeEach(replies), (handled) => this.settle(handled));
    this.metrics.endRound();
  }

  /** The round's peers, each taken when the delivery is ready for it: its lines are printed then. */
  private *observeEach(replies: readonly PeerReply[]): Generator<RoundPeer> {
    for (const reply of replies) yield this.observe(reply);
  }

  /** One peer's lines, exactly as the originals print them, and its state now and before. */
  private observe(reply: PeerReply): RoundPeer {
    if (reply.curlError !== undefined) this.stderr(`${reply.curlError}\n`);
    const ev = evaluate(reply);
    for (const line of ev.shellErrors) this.stderr(`${this.runtime.programPath}: ${line}\n`);
    const message = fitMessage(reply.url, ev);
    const state = formatState(ev, reply.code);
    const file = statePath(this.config.stateDir, reply.url);
    const last = this.states.last(file, state);
    this.metrics.observe(reply.url, ev, state, last, file);
    const changed = state !== last || this.config.spam;
    return { url: reply.url, up: ev.up, message, state, last, changed, lastWrittenMs: () => stateWrittenMs(file) };
  }

  /** What a delivery step announced: its peers' states written (D5), its outcomes counted. */
  private settle(handled: Handled): void {
    for (const peer of handled.written) this.states.write(statePath(this.config.stateDir, peer.url), peer.state);
    for (const outcome of handled.notifications) this.metrics.count(outcome);
  }
}
