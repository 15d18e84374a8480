// The delivery a configuration asks for (docs/behaviour.md §6, §10), and only what it uses:
// ALERTMANAGER_URLS wins over DIGEST and builds no Telegram outbox (it sends nothing to
// Telegram); DIGEST=1 and the originals' one message per change share one outbox.
// WEBHOOK_URLS adds one channel per URL, after Telegram (or Alertmanager); with it, Telegram
// is used only when TG_TOKEN and TG_CHAT_ID are both set. Several channels sit side by side
// (channel-memory.ts); one alone is used as it is, so without WEBHOOK_URLS nothing changes.
// Silenced peers' changes are held in front of every channel (silence.ts, STATE_DIR/silences.json).
// QUORUM wraps whatever that is (quorum.ts, §10.1).
import os from 'node:os';
import type { WatcherConfig } from '../../env.ts';
import { log, type Stderr } from '../../log.ts';
import { localAddresses } from '../discovery/resolve.ts';
import { fileChatIdMemory, migratedChatId, migrationWarning } from '../telegram/chat-migration.ts';
import { ViewFetcher } from '../quorum/fetch.ts';
import { Quorum, type QuorumOptions } from '../quorum/quorum.ts';
import type { Silences, ViewSilences } from '../silences.ts';
import { freshForS } from '../quorum/view.ts';
import { notificationOutcome, TelegramOutbox, writesState } from '../telegram/outbox.ts';
import { holdMs } from './alertmanager-api.ts';
import { AlertmanagerDelivery } from './alertmanager.ts';
import { sideBySide } from './channel-memory.ts';
import type { Delivery } from './delivery.ts';
import { DigestDelivery } from './digest.ts';
import { PerChangeDelivery } from './per-change.ts';
import { QuorumDelivery, type Said } from './quorum.ts';
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
 * `views` (QUORUM): where the silences of the views the quorum fetches go.
 */
export function deliveryFor(config: WatcherConfig, stderr: Stderr, silences?: SilencePolicy, views?: ViewSilences): Delivery {
  const first = firstChannel(config, stderr);
  const channels = [...first.channels, ...webhooks(config, stderr)].map((channel) => silences?.gate(channel) ?? channel);
  const delivery = channels.length === 1 ? (channels[0] as Delivery) : sideBySide(channels, config.spam);
  const viewSilences =
    silences && views ? { own: () => silences.ownActive, seen: (node: string, s: Silences) => views.seen(node, s) } : undefined;
  return withQuorum(config, delivery, stderr, first.outbox, viewSilences);
}

/** Alertmanager, else Telegram (unless WEBHOOK_URLS stands in for it), and Telegram's outbox if any. */
function firstChannel(config: WatcherConfig, stderr: Stderr): { channels: Delivery[]; outbox?: TelegramOutbox } {
  if (config.alertmanagerUrls.length > 0) {
    const quorum = quorumText(config);
    return {
      channels: [
        new AlertmanagerDelivery({
          urls: config.alertmanagerUrls,
          reporter: thisNode(config.self),
          holdMs: holdMs(config.pollingIntervalSec, config.timeoutSec),
          postOptions: { timeoutMs: config.timeoutMs },
          ...(quorum === null ? {} : { labels: { confirmed: quorum } }),
          stderr,
        }),
      ],
    };
  }
  if (config.webhookUrls.length > 0 && (config.tgToken === '' || config.tgChatId === '')) {
    // Half a Telegram configuration is a mistake worth a line, not a silent drop.
    const [set, unset] = config.tgToken !== '' ? ['TG_TOKEN', 'TG_CHAT_ID'] : ['TG_CHAT_ID', 'TG_TOKEN'];
    if (config.tgToken !== '' || config.tgChatId !== '')
      log(stderr, 'warn', `${set} is set but ${unset} is not: nothing is sent to Telegram, changes go to WEBHOOK_URLS only`);
    return { channels: [] };
  }
  const outbox = telegramOutbox(config, stderr);
  // Under QUORUM the digest has no "lost k of n peers" line: the isolation rule says it.
  if (config.digest) return { channels: [new DigestDelivery(config.quorum === null ? thisNode(config.self) : null, outbox)], outbox };
  return { channels: [new PerChangeDelivery(outbox)], outbox };
}

/** QUORUM as its text (`majority`, or k): Alertmanager's `confirmed` label. */
function quorumText(config: WatcherConfig): string | null {
  if (config.quorum === null) return null;
  return config.quorum.kind === 'majority' ? 'majority' : String(config.quorum.k);
}

/** `delivery` as it is without QUORUM, else wrapped in the quorum policy. */
function withQuorum(
  config: WatcherConfig,
  delivery: Delivery,
  stderr: Stderr,
  outbox: TelegramOutbox | undefined,
  silences: QuorumOptions['silences'],
): Delivery {
  if (config.quorum === null || config.viewFile === null) return delivery;
  // The isolation line goes to Telegram; Alertmanager and webhooks carry changes of peers only,
  // so without Telegram it is logged.
  const say = async (text: string): Promise<Said> => {
    if (outbox === undefined) return (log(stderr, 'error', text), { done: true });
    const outcome = await outbox.deliver(text);
    return { done: writesState(outcome), notification: notificationOutcome(outcome) };
  };
  const roundS = config.pollingIntervalSec + config.timeoutSec;
  // A node whose /view stays 404 as long as a view may be old serves none (its watcher would have written one).
  const views = new ViewFetcher({ token: config.peersToken, timeoutMs: config.timeoutMs, graceMs: freshForS(roundS) * 1000 });
  const quorum = new Quorum({
    self: thisNode(config.self),
    rule: config.quorum,
    roundS,
    viewFile: config.viewFile,
    views,
    ...(silences ? { silences } : {}),
    stderr,
  });
  return new QuorumDelivery(delivery, quorum, say, () => views.requests);
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
