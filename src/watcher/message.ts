// Pure formatting shared by a round: alert text, state string, state file name (POSIX cksum)
// and the Telegram form body. docs/behaviour.md §6 c, d and "Notify".
import type { Evaluation } from './evaluate.ts';

/** `<prefix>: <url> [<good>/<total>]<failures>`; prefix `OK  ` (two spaces) or `FAIL`. */
export function formatMessage(url: string, ev: Evaluation): string {
  const suffix = ev.failures.length > 0 ? ` \u2014 ${ev.failures.join(' ')}` : '';
  return `${ev.up ? 'OK  ' : 'FAIL'}: ${url} [${ev.good}/${ev.total}]${suffix}`;
}

/** `<up|down>:<good>/<total>:<code>`, the content of the state file. */
export function formatState(ev: Evaluation, code: string): string {
  return `${ev.up ? 'up' : 'down'}:${ev.good}/${ev.total}:${code}`;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** The first field of POSIX `cksum`: CRC-32 (MSB first) over the bytes, then the length. */
export function cksum(data: Buffer | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0;
  const feed = (byte: number): void => {
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  };
  for (const byte of bytes) feed(byte);
  for (let len = bytes.length; len > 0; len = Math.floor(len / 256)) feed(len & 0xff);
  return ~crc >>> 0;
}

/** `<cksum of the URL>.state` */
export function stateFileName(url: string): string {
  return `${cksum(url)}.state`;
}

/** Form value encoding: A-Z a-z 0-9 - . _ ~ kept, space as `+`, other bytes `%XX` (uppercase). */
export function formEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9._~-]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The sendMessage body: chat_id exactly as configured, text form-encoded. */
export function telegramBody(chatId: string, text: string): string {
  return `chat_id=${chatId}&text=${formEncode(text)}`;
}

/** `<scheme>://<address>:<port>`; IPv6 addresses bracketed (D7: the originals do not). */
export function peerUrl(scheme: string, address: string, port: string): string {
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}
