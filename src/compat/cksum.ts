// POSIX `cksum` as coreutils 9.1 computes its first field (docs/behaviour.md §6.6d): the
// originals name a peer's state file `${sum%% *}.state` with `sum=$(printf '%s' "$url" | cksum)`
// (src/watcher/state.ts). Checked against the real cksum by test/differential/cksum.test.ts
// (and, for URLs with bytes that are not UTF-8, env-bytes.test.ts). Pure.
import { encode } from '../bytes.ts';

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
  const bytes = typeof data === 'string' ? encode(data) : data;
  let crc = 0;
  const feed = (byte: number): void => {
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  };
  for (const byte of bytes) feed(byte);
  for (let len = bytes.length; len > 0; len = Math.floor(len / 256)) feed(len & 0xff);
  return ~crc >>> 0;
}
