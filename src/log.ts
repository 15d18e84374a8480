// The originals' `log LEVEL MESSAGE` (docs/behaviour.md §2), byte for byte. Messages are built as
// *escaped text*, the way the shell builds them: colours are the literal characters `\033[37m`,
// and the whole line goes through dash's `printf %b` (src/compat/dash-printf.ts), so backslash
// escapes in a message (from a URL, say) are interpreted exactly as the originals interpret them. Bytes that are not
// UTF-8 (src/bytes.ts) are written as they are.
import { encode, toLatin1 } from './bytes.ts';
import { printfBLines } from './compat/dash-printf.ts';

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
