// The originals' `log LEVEL MESSAGE` (docs/behaviour.md §2), byte for byte. Messages are built as
// *escaped text*, the way the shell builds them: colours are the literal characters `\033[37m`,
// and the whole line goes through dash's `printf %b`, so backslash escapes in a message (from
// a URL, say) are interpreted exactly as the originals interpret them. Bytes that are not
// UTF-8 (src/bytes.ts) are written as they are.
import { encode, toLatin1 } from './bytes.ts';

export type Level = 'trace' | 'debug' | 'info' | 'notice' | 'warn' | 'error';

const RESET = '\\033[0m';

const COLOURS: Record<string, string> = {
  trace: '\\033[35m',
  debug: '\\033[34m',
  info: '\\033[32m',
  notice: '\\033[36m',
  warn: '\\033[33m',
  error: '\\033[31m',
};
const OTHER = '\\033[37m';

/** A value highlighted in white; the reset inside becomes the level's colour. */
export function white(value: string): string {
  return `${OTHER}${value}${RESET}`;
}

/**
 * The bytes `log level message [extra...]` writes to stderr. Extra arguments reuse the `%b\n`
 * format, one line each, without colour (docs/behaviour.md §8); a `\c` anywhere ends all output.
 */
export function formatLogLine(level: Level | string, message: string, extra: readonly string[] = []): Buffer {
  const colour = COLOURS[level] ?? OTHER;
  const text = `${colour}${message.split(RESET).join(colour)}${RESET}`;
  const args = [text, ...extra].map(toLatin1);
  return Buffer.from(printfBLines(args), 'latin1');
}

/** dash's `printf '%b\n' ARG...` (latin1 strings): each ARG expanded and ended by a newline. */
export function printfBLines(args: readonly string[]): string {
  let out = '';
  for (const arg of args) {
    const { text, stopped } = expandB(arg);
    if (stopped) return out + text;
    out += `${text}\n`;
  }
  return out;
}

/**
 * dash's `printf '%b\n' ARG` over a binary (latin1) string: ARG's escapes are expanded; `\c`
 * ends all output there (the format's trailing newline included); `\0` not followed by an
 * octal digit is a NUL byte like `\0000`; `\x41` and `\u00e9` stay as they are.
 */
export function printfB(arg: string, suffix = ''): string {
  const { text, stopped } = expandB(arg);
  return stopped ? text : text + suffix;
}

/** ARG's `%b` expansion; `stopped` when a `\c` ended it (and all output after it). */
function expandB(arg: string): { text: string; stopped: boolean } {
  let out = '';
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = arg[i + 1];
    if (next === 'c') return { text: out, stopped: true };
    const simple = next === undefined ? undefined : SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 1;
      continue;
    }
    // Octal: `\0` then up to three octal digits, or `\1`..`\7` then up to two more.
    let j = i + 1;
    if (next === '0' && isOctal(arg[j + 1])) j += 1;
    if (isOctal(arg[j])) {
      let value = 0;
      let digits = 0;
      while (digits < 3 && isOctal(arg[j])) {
        value = value * 8 + Number(arg[j]);
        j += 1;
        digits += 1;
      }
      // A NUL byte (`\0`, `\0000`) is written and the line goes on (dash 0.5.12, §2).
      out += String.fromCharCode(value & 0xff);
      i = j - 1;
      continue;
    }
    out += '\\'; // unknown escape: the backslash stays, the next character is read as usual
  }
  return { text: out, stopped: false };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  a: '\x07',
  b: '\b',
  e: '\x1b', // dash 0.5.12 knows `\e` (not `\E`)
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function isOctal(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '7';
}

/**
 * Where a program's own error output goes: the bytes its fd 2 gets, one call per write. Only the
 * entry points pass process.stderr; the modules take it as given, the way src/exchange.ts
 * takes ExchangeIo.stderr, so a test collects it instead of patching process.stderr.
 */
export type Stderr = (bytes: Buffer | string) => void;

/** The process's fd 2, for the entry points: a string's bytes as src/bytes.ts keeps them. */
export const processStderr: Stderr = (bytes) => {
  process.stderr.write(typeof bytes === 'string' ? encode(bytes) : bytes);
};

/** `log level message`, written to `stderr` in one call. */
export function log(stderr: Stderr, level: Level, message: string): void {
  stderr(formatLogLine(level, message));
}
