// The delivery a configuration asks for (docs/behaviour.md §6, §10), and only what it uses:
// ALERTMANAGER_URLS wins over DIGEST and builds no Telegram outbox (it sends nothing to
// Telegram); DIGEST=1 and the originals' one message per change share one outbox. QUORUM wraps
// whichever it is (quorum.ts, §10.1).
import os from 'node:os';
import type { WatcherConfig } from '../../env.ts';
import { log, type Stderr } from '../../log.ts';
import { localAddresses } from '../discovery/resolve.ts';
import { fileChatIdMemory, migratedChatId, migrationWarning } from '../telegram/chat-migration.ts';
import { notificationOutcome, TelegramOutbox, writesState } from '../telegram/outbox.ts';
import { ViewFetcher } from '../quorum/fetch.ts';
import { Quorum } from '../quorum/quorum.ts';
import { freshForS } from '../quorum/view.ts';
import { holdMs } from './alertmanager-api.ts';
import { AlertmanagerDelivery } from './alertmanager.ts';
import type { Delivery } from './delivery.ts';
import { DigestDelivery } from './digest.ts';
import { PerChangeDelivery } from './per-change.ts';
import { QuorumDelivery, type Said } from './quorum.ts';

/** This node's name in alerts: the first word of SELF, else its first detected address. */
export function thisNode(self: readonly string[] | null): string {
  return localAddresses(self)[0] ?? os.hostname();
}

/** Built once, at start-up: a Telegram chat it follows says so on stderr now. */
export function deliveryFor(config: WatcherConfig, stderr: Stderr): Delivery {
  const quorum = config.quorum === null ? null : config.quorum.kind === 'majority' ? 'majority' : String(config.quorum.k);
  if (config.alertmanagerUrls.length > 0) {
    const alertmanager = new AlertmanagerDelivery({
      urls: config.alertmanagerUrls,
      reporter: thisNode(config.self),
      holdMs: holdMs(config.pollingIntervalSec, config.timeoutSec),
      postOptions: { timeoutMs: config.timeoutMs },
      ...(quorum === null ? {} : { labels: { confirmed: quorum } }),
      stderr,
    });
    // Alertmanager has no place for a line that is not about a peer: the isolation line is logged.
    return withQuorum(config, alertmanager, stderr, async (text) => (log(stderr, 'error', text), { done: true }));
  }
  const outbox = telegramOutbox(config, stderr);
  // Under QUORUM the digest has no "lost k of n peers" line: the isolation rule says it.
  const telegram = config.digest
    ? new DigestDelivery(quorum === null ? thisNode(config.self) : null, outbox)
    : new PerChangeDelivery(outbox);
  return withQuorum(config, telegram, stderr, async (text) => {
    const outcome = await outbox.deliver(text);
    return { done: writesState(outcome), notification: notificationOutcome(outcome) };
  });
}

/** `delivery` as it is without QUORUM, else wrapped in the quorum policy. */
function withQuorum(config: WatcherConfig, delivery: Delivery, stderr: Stderr, say: (text: string) => Promise<Said>): Delivery {
  if (config.quorum === null || config.viewFile === null) return delivery;
  const roundS = config.pollingIntervalSec + config.timeoutSec;
  // A node whose /view stays 404 as long as a view may be old serves none (its watcher would have written one).
  const views = new ViewFetcher({ token: config.peersToken, timeoutMs: config.timeoutMs, graceMs: freshForS(roundS) * 1000 });
  const quorum = new Quorum({
    self: thisNode(config.self),
    rule: config.quorum,
    roundS,
    viewFile: config.viewFile,
    views,
    stderr,
  });
  return new QuorumDelivery(delivery, quorum, say, () => views.requests);
}

function telegramOutbox(config: WatcherConfig, stderr: Stderr): TelegramOutbox {
  // D33: a chat Telegram moved (remembered in STATE_DIR) is followed while TG_CHAT_ID still
  // names the old id.
  const migratedTo = migratedChatId(config.stateDir, config.tgChatId);
  if (migratedTo !== undefined) log(stderr, 'warn', migrationWarning(config.tgChatId, migratedTo));
  return new TelegramOutbox({
    token: config.tgToken,
    chatId: migratedTo ?? config.tgChatId,
    configuredChatId: config.tgChatId,
    timeoutMs: config.timeoutMs,
    memory: fileChatIdMemory(config.stateDir),
    stderr,
  });
}
