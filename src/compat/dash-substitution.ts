// What dash 0.5.12 makes of a command's output taken through `$(...)` (docs/behaviour.md §6 d,
// §9): the watcher's originals read the last state (`$(cat <state file>)`) and jq's summary
// line this way. Checked against dash by test/differential/dash-substitution.test.ts (the
// state files) and jq-summary.test.ts (jq's output).

/**
 * `$(...)` over output given as a string of bytes (latin1) or of text: every NUL byte is dropped
 * (dash never stores one in a variable), then the trailing newlines are removed. CR, bytes above
 * 0x7f and newlines elsewhere stay (pure).
 */
export function commandSubstitution(output: string): string {
  return output.replace(/\0/g, '').replace(/\n+$/, '');
}
