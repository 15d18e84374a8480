// dash 0.5.12's `printf '%b\n' ARG...` (docs/behaviour.md §2, §9), which the originals' `log`
// writes every line with (src/log.ts): ARG's backslash escapes expanded; `\c` ends all output
// there (the format's trailing newline included); `\0` not followed by an octal digit is a NUL
// byte like `\0000`; `\e` is ESC; `\x41` and `\u00e9` stay as they are. Checked against dash by
// test/differential/dash-printf.test.ts. Pure, over binary (latin1) strings.

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
