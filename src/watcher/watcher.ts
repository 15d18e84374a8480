// The watcher's rounds (docs/behaviour.md §6.3-7). A round resolves the peers, polls them all at once,
// then reports, notifies and writes state in the peers' order, printing exactly what the
// originals print one peer after another (curl's line, then the shell's, then the notify
// lines). The next round starts POLLING_INTERVAL_SEC after this one ended.
import fs from 'node:fs';
import { decode, encode } from '../bytes.ts';
import type { WatcherConfig } from '../env.ts';
import { errnoCode, errnoText } from '../errno.ts';
import { log, white, type Stderr } from '../log.ts';
import { sleep } from '../timers.ts';
import { evaluate } from './evaluate.ts';
import { fitMessage } from './longtext.ts';
import { formatState, peerUrl } from './message.ts';
import { fileChatIdMemory, migratedChatId } from './migration.ts';
import { deliveryFor, MetricsHook, type RoundDelivery, type RoundPeer } from './modes.ts';
import { migrationWarning, TelegramOutbox, throttledOrder, writesState } from './outbox.ts';
import { pollPeers, type PeerReply } from './poll.ts';
import { choosePeers, stalePeersUsable, stalePeersWarning, type LastPeers, type RoundPeers } from './outage.ts';
import { dropLocal, hostsFileAddresses, localAddresses, lookupPeers, resolvePeers, resolverTrouble } from './resolve.ts';
import { mkdirParents, readState, statePath, stateWrittenMs, writeFileAtomic } from './state.ts';

export interface WatcherRuntime {
  /** The program path dash prefixes its own error lines with (process.argv[1]). */
  readonly programPath: string;
  /** Where every line goes (fd 2); src/bin/watcher.ts passes log.ts's processStderr. */
  readonly stderr: Stderr;
}

/** A peer whose state changed and is to be sent (its latest state: nothing stale is queued). */
interface Alert {
  readonly file: string;
  readonly state: string;
  readonly message: string;
  readonly up: boolean;
  /** When this peer's undelivered change was first seen (ms): oldest first when throttled. */
  readonly since: number;
}

export class Watcher {
  private readonly outbox: TelegramOutbox;
  /** Peers with a change not yet delivered, and since when (D34); rebuilt every round, so a
   *  peer that left DNS is forgotten. */
  private pendingSince = new Map<string, number>();
  private pendingBefore = new Map<string, number>();
  private readonly migratedTo: string | undefined;
  /**
   * D13: states that could not be written (state directory gone or read-only). The originals
   * die there (errexit) and systemd restarts them; the port logs an error, keeps the state
   * here so the alert is not repeated every round, and writes it when it can again.
   */
  private readonly unwritten = new Map<string, string>();
  private warnedNoGetent = false;
  /** D43: the peers of the last round the resolver answered, polled again while it does not. */
  private lastPeers: LastPeers | undefined;
  /** The opt-in deliveries of docs/behaviour.md §10 (DIGEST, ALERTMANAGER_URLS); undefined: the originals' path. */
  private readonly delivery: RoundDelivery | undefined;
  /** METRICS_FILE (does nothing when unset). */
  private readonly metrics: MetricsHook;
  private readonly stderr: Stderr;

  constructor(
    private readonly config: WatcherConfig,
    private readonly runtime: WatcherRuntime,
  ) {
    this.stderr = runtime.stderr;
    // D33: a chat Telegram moved (remembered in STATE_DIR) is followed while TG_CHAT_ID
    // still names the old id.
    this.migratedTo = migratedChatId(config.stateDir, config.tgChatId);
    this.outbox = new TelegramOutbox({
      token: config.tgToken,
      chatId: this.migratedTo ?? config.tgChatId,
      configuredChatId: config.tgChatId,
      timeoutMs: config.timeoutMs,
      memory: fileChatIdMemory(config.stateDir),
      stderr: this.stderr,
    });
    this.delivery = deliveryFor(config, this.outbox, this.stderr);
    this.metrics = new MetricsHook(config.metricsFile, this.stderr);
  }

  /** Rounds until the process ends: TERM, INT and HUP end it by process.exit (D13, src/bin/watcher.ts). */
  async run(): Promise<never> {
    if (this.migratedTo !== undefined) log(this.stderr, 'warn', migrationWarning(this.config.tgChatId, this.migratedTo));
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
    const urls = await this.peerUrls();
    if (urls.length === 0) {
      log(this.stderr, 'warn', `no peers resolved from ${white(config.peersDns)} (all IPs are local or DNS returned nothing)`);
    }
    const replies = await pollPeers(urls, {
      token: config.peersToken,
      timeoutMs: config.timeoutMs,
    });
    const throttled = this.outbox.startRound();
    if (this.delivery !== undefined) await this.deliverRound(replies, this.delivery);
    else await this.notifyEach(replies, throttled);
    this.metrics.endRound();
  }

  /** The originals' path: one Telegram message per change. */
  private async notifyEach(replies: readonly PeerReply[], throttled: boolean): Promise<void> {
    this.pendingBefore = this.pendingSince;
    this.pendingSince = new Map();
    if (!throttled) {
      // Nothing throttled: each peer's lines, then its alert, in the peers' order (originals).
      for (const reply of replies) {
        const alert = this.report(reply);
        if (alert !== undefined) await this.send(alert);
      }
      return;
    }
    // D34: Telegram is throttling (or refusing): the next text sent is a FAIL before any OK,
    // oldest change first, each peer's latest state.
    const alerts: Alert[] = [];
    for (const reply of replies) {
      const alert = this.report(reply);
      if (alert !== undefined) alerts.push(alert);
    }
    for (const alert of throttledOrder(alerts)) await this.send(alert);
  }

  /** docs/behaviour.md §10: the same per-peer steps as report(), then one delivery for the whole round. */
  private async deliverRound(replies: readonly PeerReply[], delivery: RoundDelivery): Promise<void> {
    const peers: Array<RoundPeer & { file: string }> = replies.map((reply) => {
      const { ev, message, state, file, last } = this.observe(reply);
      const changed = state !== last || this.config.spam;
      return { url: reply.url, up: ev.up, message, state, last, changed, file, lastWrittenMs: () => stateWrittenMs(file) };
    });
    const result = await delivery.deliver(peers);
    for (const i of result.written) {
      const peer = peers[i];
      if (peer !== undefined) this.persist(peer.file, peer.state, true);
    }
    for (const outcome of result.notifications) this.metrics.count(outcome);
  }

  private async peerUrls(): Promise<string[]> {
    const { config } = this;
    const nowMs = Date.now();
    const round = await this.resolvePeerAddresses(nowMs);
    const choice = choosePeers(this.lastPeers, round, nowMs);
    this.lastPeers = choice.last;
    if (!round.answered && choice.staleMs !== undefined) {
      log(this.stderr, 'warn', stalePeersWarning(config.peersDns, round.reason, choice.peers.length, choice.staleMs));
    } else if (!round.answered && round.hostsFileOnly) {
      log(this.stderr, 'warn', `cannot resolve peers: ${round.reason}; using ${white(HOSTS_FILE)} only`);
    }
    return choice.peers.map((address) => peerUrl(config.peersScheme, address, config.peersPort));
  }

  /**
   * This round's peers, local addresses dropped, and whether the resolver answered (D43):
   * getent, or Node's resolver without getent, or the hosts file alone when getent did not
   * answer in time (D21: `hostsFileOnly`, getent killed or not startable).
   */
  private async resolvePeerAddresses(nowMs: number): Promise<RoundPeers & { hostsFileOnly?: true }> {
    const { config } = this;
    const name = config.peersDns;
    const peers = (addresses: readonly string[]) => dropLocal(addresses, localAddresses(config.self));
    // D21: getent gets TIMEOUT + 1 s. The extra second keeps a resolver that replies (or
    // gives up) in about TIMEOUT on the originals' path: the same output, not a race.
    // TIMEOUT=0 is curl's "no limit"; then getent is not limited either.
    const budget = config.timeoutMs > 0 ? config.timeoutMs + RESOLVE_EXTRA_MS : 0;
    const resolution = await resolvePeers(name, budget);
    if (resolution.missing) {
      if (!this.warnedNoGetent) log(this.stderr, 'warn', `cannot run getent (${resolution.problem}): resolving peers with Node's resolver`);
      this.warnedNoGetent = true;
      const lookup = await lookupPeers(name, budget);
      if (lookup.problem !== undefined) return { answered: false, reason: lookup.problem, hostsFile: [] };
      return { answered: true, peers: peers(lookup.addresses) };
    }
    if (resolution.problem !== undefined) {
      // D21: a resolver that hangs must not stall the round; the hosts file still counts.
      return {
        answered: false,
        reason: resolution.problem,
        hostsFile: peers(hostsFileAddresses(name, readText(HOSTS_FILE))),
        hostsFileOnly: true,
      };
    }
    if (resolution.addresses.length === 0 && stalePeersUsable(this.lastPeers, nowMs)) {
      // D43: getent exits 2 whether the name has no addresses or the resolver failed; asked
      // only when it matters (peers held), so the originals' path costs no extra query.
      const reason = await resolverTrouble(name, budget);
      if (reason !== undefined) return { answered: false, reason, hostsFile: [] };
    }
    return { answered: true, peers: peers(resolution.addresses) };
  }

  /** One peer's lines, exactly as the originals print them, and its state now and before. */
  private observe(reply: PeerReply) {
    if (reply.curlError !== undefined) this.stderr(`${reply.curlError}\n`);
    const ev = evaluate(reply);
    for (const line of ev.shellErrors) this.stderr(`${this.runtime.programPath}: ${line}\n`);
    const message = fitMessage(reply.url, ev);
    const state = formatState(ev, reply.code);
    const file = statePath(this.config.stateDir, reply.url);
    const remembered = this.unwritten.get(file);
    const last = remembered ?? readState(file);
    if (state === last && remembered !== undefined) this.persist(file, state, false);
    this.metrics.observe(reply.url, ev, state, last, file);
    return { ev, message, state, file, last };
  }

  /** report(): observe(), and the peer's alert if one is due. */
  private report(reply: PeerReply): Alert | undefined {
    const { ev, message, state, file, last } = this.observe(reply);
    if (state === last && !this.config.spam) return undefined;
    const since = this.pendingBefore.get(file) ?? Date.now();
    this.pendingSince.set(file, since);
    return { file, state, message, up: ev.up, since };
  }

  private async send(alert: Alert): Promise<void> {
    const outcome = await this.outbox.deliver(alert.message);
    this.metrics.countNotify(outcome);
    if (!writesState(outcome)) return;
    this.pendingSince.delete(alert.file);
    this.persist(alert.file, alert.state, true);
  }

  private persist(file: string, state: string, loud: boolean): void {
    try {
      writeFileAtomic(file, state);
    } catch (err) {
      // The state directory may have been removed while we run: recreate it, as start-up would.
      try {
        mkdirParents(this.config.stateDir);
        writeFileAtomic(file, state);
        if (loud) log(this.stderr, 'warn', `state directory ${white(this.config.stateDir)} was missing: created it again`);
      } catch {
        if (loud)
          log(
            this.stderr,
            'error',
            `cannot write state file ${white(file)}: ${errnoText(err) ?? errnoCode(err) ?? String(err)}; keeping the state in memory`,
          );
        this.unwritten.set(file, state);
        return;
      }
    }
    this.unwritten.delete(file);
  }
}

const HOSTS_FILE = '/etc/hosts';
const RESOLVE_EXTRA_MS = 1000;

function readText(file: string): string {
  try {
    return decode(fs.readFileSync(encode(file)));
  } catch {
    return '';
  }
}
