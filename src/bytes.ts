// Bytes that are not UTF-8, kept in strings without loss. The originals are dash scripts
// (docs/behaviour.md §1): every value they handle, from the environment, a file name or a tool's
// output, is a byte string they pass on unchanged (§3: base64 of an argument's raw bytes; §6.6a:
// the bytes of PEERS_TOKEN, the URL and TG_TOKEN go on the wire as they are in the
// environment). The port works on strings, so it reads bytes with decode() and writes them
// with encode(): valid UTF-8 decodes as usual, and each byte that is not part of valid UTF-8
// becomes the lone surrogate U+DC80..U+DCFF (the "surrogateescape" of Python), which encode()
// turns back into that byte. So encode(decode(bytes)) is `bytes` for every byte string, and
// text that is valid UTF-8 is exactly what Buffer's own decoding gives. Every place where a
// string becomes bytes (stderr, a request head or body, a JSON body, cksum, a file name, a
// command's arguments) encodes with this module.
import { isUtf8 } from 'node:buffer';

/** A lone surrogate of U+DC80..U+DCFF (paired surrogates are one code point under /u). */
const ESCAPED_BYTE = /[\udc80-\udcff]/u;
/** The same, captured: split() keeps each one as an odd-numbered part. */
const AROUND_ESCAPED_BYTES = /([\udc80-\udcff])/u;

/** The length of the UTF-8 sequence starting at `i`, or 0 when it is not a valid one. */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i] as number;
  // The first continuation byte's range, by lead byte (no overlong form, no surrogate, nothing
  // past U+10FFFF: exactly the sequences that decode and encode back to themselves).
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) length = 2;
  else if (b >= 0xe0 && b <= 0xef) {
    length = 3;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    length = 4;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  const second = bytes[i + 1] as number;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k] as number;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/** Bytes as text: UTF-8, each byte outside a valid sequence as U+DC00 + byte. */
export function decode(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let start = 0; // the start of the valid run not yet decoded
  let i = 0;
  while (i < bytes.length) {
    if ((bytes[i] as number) < 0x80) {
      i += 1;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += bytes.subarray(start, i).toString('utf8') + String.fromCharCode(0xdc00 + (bytes[i] as number));
    i += 1;
    start = i;
  }
  return out + bytes.subarray(start).toString('utf8');
}

/** Text as bytes: UTF-8, each lone U+DC80..U+DCFF as its byte (decode's inverse). */
export function encode(text: string): Buffer {
  if (!ESCAPED_BYTE.test(text)) return Buffer.from(text, 'utf8');
  const parts = text.split(AROUND_ESCAPED_BYTES);
  return Buffer.concat(parts.map((part, i) => (i % 2 === 1 ? Buffer.of(part.charCodeAt(0) - 0xdc00) : Buffer.from(part, 'utf8'))));
}

/** encode() as a latin1 string, one char per byte: for code that works byte by byte (glob, printf %b, request heads). */
export function toLatin1(text: string): string {
  return encode(text).toString('latin1');
}

/** A latin1 string of bytes (one char per byte) as text: decode() of those bytes. */
export function fromLatin1(latin1: string): string {
  return decode(Buffer.from(latin1, 'latin1'));
}

/**
 * A JSON string literal of `text` (JSON.stringify's escapes, D15), where the bytes that are not
 * UTF-8 stay the raw bytes the originals' printf writes (JSON.stringify would write `\udce4`).
 */
export function jsonString(text: string): string {
  const parts = text.split(AROUND_ESCAPED_BYTES);
  return `"${parts.map((part, i) => (i % 2 === 1 ? part : JSON.stringify(part).slice(1, -1))).join('')}"`;
}

/**
 * A command line for spawn() that passes every argument's bytes: Node writes arguments as
 * UTF-8, so when one holds bytes that are not, the command runs through `sh`, whose printf
 * writes each argument back byte for byte. Otherwise the command line as it is. A command
 * that cannot be found then ends with status 127 (sh's `exec`) instead of ENOENT.
 */
export function commandLine(file: string, args: readonly string[]): { readonly file: string; readonly args: string[] } {
  if (![file, ...args].some((arg) => ESCAPED_BYTE.test(arg))) return { file, args: [...args] };
  // `x` keeps trailing newlines, which $(...) would remove.
  const script = `for a do shift; a=$(printf '%bx' "$a"); set -- "$@" "\${a%x}"; done; exec "$@"`;
  return { file: 'sh', args: ['-c', script, 'sh', ...[file, ...args].map(printfEscaped)] };
}

/** The argument for printf's %b: every byte as `\0ooo` except letters, digits and `/._-`. */
function printfEscaped(text: string): string {
  let out = '';
  for (const byte of encode(text)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9/._-]/.test(ch) ? ch : `\\0${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}
