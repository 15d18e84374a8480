// Kept only for test/support/node-transport.ts, which another change is moving: the Bot API
// request is telegram/bot-api.ts. Delete once node-transport.ts imports Transport from there.
export type { Transport } from './telegram/bot-api.ts';
