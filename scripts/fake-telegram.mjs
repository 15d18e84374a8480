#!/usr/bin/env node
// `npm run fake-telegram [-- <port>]`: a stand-in Telegram Bot API on http://127.0.0.1:<port>
// (default 8081, the port tdlib's telegram-bot-api listens on) that takes every sendMessage,
// whatever the token and chat, and prints each message as it arrives. Point a watcher at it
// with TG_API_URL=http://127.0.0.1:<port> to try it by hand (README "Trying a watcher by
// hand"). The fake is scripts/lib/telegram.ts, the one the tests use; Ctrl-C stops it.
import './lib/tsx.mjs';

const { startFakeTelegram } = await import('./lib/telegram.ts');

const port = Number(process.argv[2] ?? 8081);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`fake-telegram: not a TCP port: ${process.argv[2]}`);
  process.exit(2);
}
const telegram = await startFakeTelegram({
  port,
  onRequest: (request) => console.log(`telegram: to chat ${request.chatId}: ${request.text}`),
});
console.log(`fake Telegram Bot API on http://127.0.0.1:${telegram.port} (any token, any chat); Ctrl-C stops it`);
const stop = () => telegram.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
