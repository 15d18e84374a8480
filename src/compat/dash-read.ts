// dash 0.5.12's `IFS= read -r` (docs/behaviour.md §4.1-§4.3, §9), as the originals read AUTH_FILE
// (`while IFS= read -r line || [ -n "$line" ]`, src/auth.ts) and the request head (`IFS= read
// -r request`, then header lines: src/http/request.ts): a line runs to LF; NUL bytes are
// dropped (dash keeps strings as C strings); spaces, tabs, backslashes and CRs stay. Checked
// against dash running the originals' own loops by test/differential/dash-read.test.ts.
// Pure, over binary (latin1) strings.

/** One line as `IFS= read -r` stores it (LF already removed): its NUL bytes dropped. */
export function readLine(raw: string): string {
  return raw.includes('\0') ? raw.split('\0').join('') : raw;
}

/**
 * The lines `while IFS= read -r line || [ -n "$line" ]` reads from a file's bytes: every line
 * ended by LF, then the text after the last LF when it is not empty once read.
 */
export function readFileLines(bytes: Buffer): string[] {
  const lines = bytes.toString('latin1').split('\n').map(readLine);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
