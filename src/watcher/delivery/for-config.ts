// The delivery a configuration asks for (docs/behaviour.md §6, §10), and only what it uses:
// ALERTMANAGER_URLS wins over DIGEST and builds no Telegram outbox (it sends nothing to
// Telegram); DIGEST=1 and the originals' one message per change share one outbox.
// WEBHOOK_URLS adds one channel per URL, after Telegram (or Alertmanager); with it, Telegram
// is used only when TG_TOKEN and TG_CHAT_ID are both set. Several channels sit side by side
// (channel-memory.ts); one alone is used as it is, so without WEBHOOK_URLS nothing changes.
// Silenced peers' changes are held in front of every channel (silence.ts, STATE_DIR/silences.json).
import os from 'node:os';
import type { WatcherConfig } from '../../env.ts';
import { log, type Stderr } from '../../log.ts';
import { localAddresses } from '../discovery/resolve.ts';
import { fileChatIdMemory, migratedChatId, migrationWarning } from '../telegram/chat-migration.ts';
import { TelegramOutbox } from '../telegram/outbox.ts';
import { holdMs } from './alertmanager-api.ts';
import { AlertmanagerDelivery } from './alertmanager.ts';
import { sideBySide } from './channel-memory.ts';
import type { Delivery } from './delivery.ts';
import { DigestDelivery } from './digest.ts';
import { PerChangeDelivery } from './per-change.ts';
import type { SilencePolicy } from './silence.ts';
import { webhookName } from './webhook-api.ts';
import { WebhookDelivery } from './webhook.ts';

/** This node's name in alerts: the first word of SELF, else its first detected address. */
export function thisNode(self: readonly string[] | null): string {
  return localAddresses(self)[0] ?? os.hostname();
}

/**
 * Built once, at start-up: a Telegram chat it follows says so on stderr now. `silences`
 * (silence.ts): its gate goes in front of each channel; the caller puts it around the result.
 */
export function deliveryFor(config: WatcherConfig, stderr: Stderr, silences?: SilencePolicy): Delivery {
  const channels = [...firstChannel(config, stderr), ...webhooks(config, stderr)].map((channel) => silences?.gate(channel) ?? channel);
  return channels.length === 1 ? (channels[0] as Delivery) : sideBySide(channels, config.spam);
}

/** Alertmanager, else Telegram (unless WEBHOOK_URLS stands in for it). */
function firstChannel(config: WatcherConfig, stderr: Stderr): Delivery[] {
  if (config.alertmanagerUrls.length > 0) {
    return [
      new AlertmanagerDelivery({
        urls: config.alertmanagerUrls,
        reporter: thisNode(config.self),
        holdMs: holdMs(config.pollingIntervalSec, config.timeoutSec),
        postOptions: { timeoutMs: config.timeoutMs },
        stderr,
      }),
    ];
  }
  if (config.webhookUrls.length > 0 && (config.tgToken === '' || config.tgChatId === '')) {
    // Half a Telegram configuration is a mistake worth a line, not a silent drop.
    const [set, unset] = config.tgToken !== '' ? ['TG_TOKEN', 'TG_CHAT_ID'] : ['TG_CHAT_ID', 'TG_TOKEN'];
    if (config.tgToken !== '' || config.tgChatId !== '')
      log(stderr, 'warn', `${set} is set but ${unset} is not: nothing is sent to Telegram, changes go to WEBHOOK_URLS only`);
    return [];
  }
  const outbox = telegramOutbox(config, stderr);
  if (config.digest) return [new DigestDelivery(thisNode(config.self), outbox)];
  return [new PerChangeDelivery(outbox)];
}

function webhooks(config: WatcherConfig, stderr: Stderr): Delivery[] {
  const reporter = thisNode(config.self);
  return config.webhookUrls.map(
    (url, i) => new WebhookDelivery({ url, name: webhookName(url, i), reporter, postOptions: { timeoutMs: config.timeoutMs }, stderr }),
  );
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
