// The watcher's rounds (docs/behaviour.md §6.3-7, §12). A round finds the peers (discovery/),
// polls them all at once, then, in the peers' order, prints exactly what the originals print for
// each (curl's line, then the shell's; the SRV version: its `no change:` line), hands it to the
// delivery (delivery/: the notify lines) and writes the states the delivery says were
// announced. The discovery says how its peers are named and read (PeerReading). The next round
// starts POLLING_INTERVAL_SEC after this one ended. See README.md here for where things go.
import type { WatcherConfig } from '../env.ts';
import { log, white, type Stderr } from '../log.ts';
import { sleep } from '../timers.ts';
import { deliverRound, type Delivery, type Handled, type RoundPeer } from './delivery/delivery.ts';
import { deliveryFor } from './delivery/for-config.ts';
import { silencePolicy } from './delivery/silence.ts';
import { ViewSilences } from './silences.ts';
import { discoveryFor, type DiscoveredPeer, type Discovery } from './discovery/discovery.ts';
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
  /** Each peer handed to the delivery, and its state file (named by the discovery's stateKey). */
  private readonly stateFiles = new WeakMap<RoundPeer, string>();

  constructor(
    private readonly config: WatcherConfig,
    private readonly runtime: WatcherRuntime,
  ) {
    this.stderr = runtime.stderr;
    this.discovery = discoveryFor(config);
    // QUORUM: the silences other nodes' views carry join this node's (silences.ts ViewSilences).
    const views = config.quorum === null ? undefined : new ViewSilences();
    const silences = silencePolicy(config.stateDir, this.stderr, views);
    this.delivery = silences.around(deliveryFor(config, this.stderr, silences, views));
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
    log(this.stderr, 'info', this.discovery.roundLine());
    const found = await this.discovery.peers();
    for (const warning of found.warnings) log(this.stderr, 'warn', warning);
    const requests = found.peers.map((peer) => peer.requestUrl);
    const replies = await pollPeers(requests, { token: config.peersToken, timeoutMs: config.timeoutMs });
    await deliverRound(this.delivery, this.observeEach(found.peers, replies), (handled) => this.settle(handled));
    this.metrics.endRound(this.delivery.counters?.() ?? []);
  }

  /** The round's peers, each taken when the delivery is ready for it: its lines are printed then. */
  private *observeEach(peers: readonly DiscoveredPeer[], replies: readonly PeerReply[]): Generator<RoundPeer> {
    for (const [i, reply] of replies.entries()) yield this.observe(peers[i] as DiscoveredPeer, reply);
  }

  /** One peer's lines, exactly as the originals print them, and its state now and before. */
  private observe(peer: DiscoveredPeer, reply: PeerReply): RoundPeer {
    const { reading } = this.discovery;
    if (reply.curlError !== undefined && reading.curlLines) this.stderr(`${reply.curlError}\n`);
    const ev = reading.evaluate(reply);
    for (const line of ev.shellErrors) this.stderr(`${this.runtime.programPath}: ${line}\n`);
    const message = fitMessage(peer.label, ev);
    const state = formatState(ev, reply.code);
    const file = statePath(this.config.stateDir, peer.stateKey);
    const last = this.states.last(file, state);
    this.metrics.observe(peer.url, ev, state, last, file);
    const changed = state !== last || this.config.spam;
    // §12: the SRV version says so for every peer it does not notify.
    if (!changed && reading.noChangeLines) log(this.stderr, 'info', `no change: ${white(message)}`);
    const answered = reply.code !== '000';
    const roundPeer = { url: peer.url, up: ev.up, message, state, last, changed, answered, lastWrittenMs: () => stateWrittenMs(file) };
    this.stateFiles.set(roundPeer, file);
    return roundPeer;
  }

  /** What a delivery step announced: its peers' states written (D5), its outcomes counted. */
  private settle(handled: Handled): void {
    for (const peer of handled.written) {
      const file = this.stateFiles.get(peer);
      if (file !== undefined) this.states.write(file, peer.state);
    }
    for (const outcome of handled.notifications) this.metrics.count(outcome);
  }
}
