// The watcher's rounds (contract §6.3-7). A round resolves the peers, polls them all at once,
// then reports, notifies and writes state in the peers' order, printing exactly what the
// originals print one peer after another (curl's line, then the shell's, then the notify
// lines). The next round starts POLLING_INTERVAL_SEC after this one ended.
import fs from 'node:fs';
import type { WatcherConfig } from '../env.ts';
import { log, white } from '../log.ts';
import { evaluate } from './evaluate.ts';
import { formatMessage, formatState, peerUrl } from './message.ts';
import { Notifier, writesState } from './notify.ts';
import { deliveryFor, MetricsHook, type RoundPeer, type RoundDelivery } from './modes.ts';
import { pollPeers, type PeerAnswer } from './poll.ts';
import { dropLocal, hostsFileAddresses, localAddresses, lookupPeers, resolvePeers } from './resolve.ts';
import { readState, statePath, writeStateAtomic } from './state.ts';
import { mkdirParents } from './startup.ts';

export interface WatcherRuntime {
  /** The program path dash prefixes its own error lines with (process.argv[1]). */
  readonly programPath: string;
  /** Ends the round loop and cancels pending requests, for a caller that embeds the watcher;
   *  the daemon itself ends by process.exit on a signal (D13) and passes none. */
  readonly signal?: AbortSignal;
}

export class Watcher {
  private readonly notifier: Notifier;
  /**
   * D13: states that could not be written (state directory gone or read-only). The originals
   * die there (errexit) and systemd restarts them; the port logs an error, keeps the state
   * here so the alert is not repeated every round, and writes it when it can again.
   */
  private readonly unwritten = new Map<string, string>();
  private warnedNoGetent = false;
  private readonly signal: AbortSignal;
  /** Issue 11 (modes.ts): DIGEST=1 or ALERTMANAGER_URLS; undefined is the originals' path. */
  private readonly delivery: RoundDelivery | undefined;
  private readonly metrics: MetricsHook;

  constructor(
    private readonly config: WatcherConfig,
    private readonly runtime: WatcherRuntime,
  ) {
    this.signal = runtime.signal ?? new AbortController().signal;
    this.notifier = new Notifier({
      token: config.tgToken,
      chatId: config.tgChatId,
      timeoutMs: config.timeoutSec * 1000,
      signal: this.signal,
    });
    this.delivery = deliveryFor(config, this.notifier, this.signal);
    this.metrics = new MetricsHook(config.metricsFile);
  }

  async run(): Promise<void> {
    while (!this.signal.aborted) {
      try {
        await this.round();
      } catch (err) {
        // A bug must not stop the monitoring: say so and try again next round.
        log('error', `round failed: ${(err as Error).stack ?? String(err)}`);
      }
      await sleep(this.config.pollingIntervalSec * 1000, this.signal);
    }
  }

  async round(): Promise<void> {
    const { config } = this;
    this.metrics.startRound();
    log('info', `polling peers via ${white(config.peersDns)} every ${white(config.pollingIntervalText)}s`);
    const urls = await this.peerUrls();
    if (urls.length === 0) {
      log('warn', `no peers resolved from ${white(config.peersDns)} (all IPs are local or DNS returned nothing)`);
    }
    const answers = await pollPeers(urls, {
      token: config.peersToken,
      timeoutMs: config.timeoutSec * 1000,
      signal: this.signal,
    });
    if (this.signal.aborted) return;
    this.notifier.startRound();
    if (this.delivery !== undefined) await this.deliverRound(answers, this.delivery);
    else {
      for (const answer of answers) {
        await this.report(answer);
        if (this.signal.aborted) return;
      }
    }
    this.metrics.endRound();
  }

  /** Issue 11: the same per-peer steps as report(), then one delivery for the whole round. */
  private async deliverRound(answers: readonly PeerAnswer[], delivery: RoundDelivery): Promise<void> {
    const peers: Array<RoundPeer & { file: string }> = answers.map((answer) => {
      if (answer.curlError !== undefined) process.stderr.write(`${answer.curlError}\n`);
      const ev = evaluate(answer);
      for (const line of ev.shellErrors) process.stderr.write(`${this.runtime.programPath}: ${line}\n`);
      const state = formatState(ev, answer.code);
      const file = statePath(this.config.stateDir, answer.url);
      const remembered = this.unwritten.get(file);
      const last = remembered ?? readState(file);
      if (state === last && remembered !== undefined) this.persist(file, state, false);
      this.metrics.observe(answer.url, ev, state, last, file);
      const message = formatMessage(answer.url, ev);
      const changed = state !== last || this.config.spam;
      return { url: answer.url, up: ev.up, message, state, last, changed, file, lastWrittenMs: () => MetricsHook.fileTimeMs(file) };
    });
    if (this.signal.aborted) return;
    const result = await delivery.deliver(peers);
    for (const i of result.written) {
      const peer = peers[i];
      if (peer !== undefined) this.persist(peer.file, peer.state, true);
    }
    for (const outcome of result.notifications) this.metrics.count(outcome);
  }

  private async peerUrls(): Promise<string[]> {
    const { config } = this;
    // D21: getent gets TIMEOUT + 1 s. The extra second keeps a resolver that answers (or
    // gives up) in about TIMEOUT on the originals' path: the same output, not a race.
    // TIMEOUT=0 is curl's "no limit"; then getent is not limited either.
    const budget = config.timeoutSec > 0 ? config.timeoutSec * 1000 + RESOLVE_EXTRA_MS : 0;
    const resolution = await resolvePeers(config.peersDns, budget);
    let addresses = resolution.addresses;
    if (resolution.missing) {
      if (!this.warnedNoGetent) log('warn', `cannot run getent (${resolution.problem}): resolving peers with Node's resolver`);
      this.warnedNoGetent = true;
      addresses = await lookupPeers(config.peersDns, budget);
    } else if (resolution.problem !== undefined) {
      // D21: a resolver that hangs must not stall the round; the hosts file still counts.
      addresses = hostsFileAddresses(config.peersDns, readText(HOSTS_FILE));
      log('warn', `cannot resolve peers: ${resolution.problem}; using ${white(HOSTS_FILE)} only`);
    }
    const peers = dropLocal(addresses, localAddresses(config.self));
    return peers.map((address) => peerUrl(config.peersScheme, address, config.peersPort));
  }

  /** One peer's turn: exactly what the originals do for it, in the same order. */
  private async report(answer: PeerAnswer): Promise<void> {
    if (answer.curlError !== undefined) process.stderr.write(`${answer.curlError}\n`);
    const ev = evaluate(answer);
    for (const line of ev.shellErrors) process.stderr.write(`${this.runtime.programPath}: ${line}\n`);
    const message = formatMessage(answer.url, ev);
    const state = formatState(ev, answer.code);
    const file = statePath(this.config.stateDir, answer.url);
    const remembered = this.unwritten.get(file);
    const last = remembered ?? readState(file);
    if (state === last && remembered !== undefined) this.persist(file, state, false);
    this.metrics.observe(answer.url, ev, state, last, file);
    if (state === last && !this.config.spam) return;
    const outcome = await this.notifier.notify(message);
    this.metrics.countNotify(outcome);
    if (writesState(outcome)) this.persist(file, state, true);
  }

  private persist(file: string, state: string, loud: boolean): void {
    try {
      writeStateAtomic(file, state);
    } catch (err) {
      // The state directory may have been removed while we run: recreate it, as start-up would.
      try {
        mkdirParents(this.config.stateDir);
        writeStateAtomic(file, state);
        if (loud) log('warn', `state directory ${white(this.config.stateDir)} was missing: created it again`);
      } catch {
        if (loud) log('error', `cannot write state file ${white(file)}: ${errnoText(err)}; keeping the state in memory`);
        this.unwritten.set(file, state);
        return;
      }
    }
    this.unwritten.delete(file);
  }
}

/** `Permission denied` rather than Node's `EACCES: permission denied, open '<temp file>'`. */
function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const texts: Record<string, string> = {
    EACCES: 'Permission denied',
    EPERM: 'Operation not permitted',
    ENOENT: 'No such file or directory',
    ENOTDIR: 'Not a directory',
    EROFS: 'Read-only file system',
    ENOSPC: 'No space left on device',
    EDQUOT: 'Disk quota exceeded',
    EISDIR: 'Is a directory',
    EIO: 'Input/output error',
  };
  return texts[code] ?? (code || String(err));
}

const HOSTS_FILE = '/etc/hosts';
const RESOLVE_EXTRA_MS = 1000;

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
