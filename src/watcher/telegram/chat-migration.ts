// The chat id Telegram moved a group to (D33), remembered in STATE_DIR so that a
// restart does not go back to the dead id while TG_CHAT_ID still names it. The file name has no
// `.state` suffix, so it can never be taken for (or clash with) a peer's `<cksum>.state`.
import fs from 'node:fs';
import path from 'node:path';
import { encode } from '../../bytes.ts';
import { white } from '../../log.ts';
import { writeFileAtomic } from '../state.ts';

export const MIGRATION_FILE = 'telegram-chat-migrated.json';

/** Where the chat id Telegram moved us to is kept across restarts. */
export interface ChatIdMemory {
  remember(from: string, to: string): void;
}

/** The warn line when texts go to the chat Telegram moved TG_CHAT_ID to (at start-up, and when it happens). */
export function migrationWarning(from: string, to: string): string {
  return `Telegram upgraded chat ${white(from)} to a supergroup with id ${white(to)}: sending there; please set TG_CHAT_ID=${white(to)}`;
}

interface Migration {
  readonly from: string;
  readonly to: string;
}

function read(file: string): Migration | undefined {
  try {
    const json = JSON.parse(fs.readFileSync(encode(file), 'utf8')) as { from?: unknown; to?: unknown };
    if (typeof json.from === 'string' && typeof json.to === 'string' && /^-?\d+$/.test(json.to)) return { from: json.from, to: json.to };
  } catch {
    // missing or unreadable: no migration known
  }
  return undefined;
}

/** The id to send to instead of `configured`, if Telegram moved that chat; else undefined. */
export function migratedChatId(stateDir: string, configured: string): string | undefined {
  const m = read(path.join(stateDir, MIGRATION_FILE));
  return m !== undefined && m.from === configured ? m.to : undefined;
}

export function fileChatIdMemory(stateDir: string): ChatIdMemory {
  return {
    remember(from, to) {
      writeFileAtomic(path.join(stateDir, MIGRATION_FILE), `${JSON.stringify({ from, to })}\n`);
    },
  };
}
