// The delivery a configuration asks for (docs/behaviour.md §6, §10), and only what it uses:
// ALERTMANAGER_URLS wins over DIGEST and builds no Telegram outbox (it sends nothing to
// Telegram); DIGEST=1 and the originals' one message per change share one outbox.
import os from 'node:os';
import type { WatcherConfig } from '../../env.ts';
import { log, type Stderr } from '../../log.ts';
import { localAddresses } from '../discovery/resolve.ts';
import { fileChatIdMemory, migratedChatId, migrationWarning } from '../telegram/chat-migration.ts';
import { TelegramOutbox } from '../telegram/outbox.ts';
import { holdMs } from './alertmanager-api.ts';
import { AlertmanagerDelivery } from './alertmanager.ts';
import type { Delivery } from './delivery.ts';
import { DigestDelivery } from './digest.ts';
import { PerChangeDelivery } from './per-change.ts';

/** This node's name in alerts: the first word of SELF, else its first detected address. */
export function thisNode(self: readonly string[] | null): string {
  return localAddresses(self)[0] ?? os.hostname();
}

/** Built once, at start-up: a Telegram chat it follows says so on stderr now. */
export function deliveryFor(config: WatcherConfig, stderr: Stderr): Delivery {
  if (config.alertmanagerUrls.length > 0) {
    return new AlertmanagerDelivery({
      urls: config.alertmanagerUrls,
      reporter: thisNode(config.self),
      holdMs: holdMs(config.pollingIntervalSec, config.timeoutSec),
      postOptions: { timeoutMs: config.timeoutMs },
      stderr,
    });
  }
  const outbox = telegramOutbox(config, stderr);
  if (config.digest) return new DigestDelivery(thisNode(config.self), outbox);
  return new PerChangeDelivery(outbox);
}

function telegramOutbox(config: WatcherConfig, stderr: Stderr): TelegramOutbox {
  // D33: a chat Telegram moved (remembered in STATE_DIR) is followed while TG_CHAT_ID still
  // names the old id.
  const migratedTo = migratedChatId(config.stateDir, config.tgChatId);
  if (migratedTo !== undefined) log(stderr, 'warn', migrationWarning(config.tgChatId, migratedTo));
  return new TelegramOutbox({
    token: config.tgToken,
    apiUrl: config.tgApiUrl,
    chatId: migratedTo ?? config.tgChatId,
    configuredChatId: config.tgChatId,
    timeoutMs: config.timeoutMs,
    memory: fileChatIdMemory(config.stateDir),
    stderr,
  });
}
