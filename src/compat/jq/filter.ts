// jq 1.6's filter `.status.summary | "\(.total) \(.ok)"` as the watcher's originals run it
// (docs/behaviour.md §6.6b, §9), `s=$(jq -r '<filter>' <body>)`, over the values jq read
// (parse.ts): each value's output line, and what dash's `$(...)` keeps of them all. Checked
// against jq 1.6 and dash by test/differential/jq-summary.test.ts. Pure.
import { commandSubstitution } from '../dash-substitution.ts';
import type { JqValue } from './parse.ts';
import { jqInterpolate } from './print.ts';

const CANNOT_INDEX = Symbol('cannot index');

/** jq's `.key`: null propagates, an object gives its member or null, anything else is an error. */
function index(value: JqValue | typeof CANNOT_INDEX, key: string): JqValue | typeof CANNOT_INDEX {
  if (value === CANNOT_INDEX) return value;
  if (value === null) return null;
  if (value instanceof Map) return value.has(key) ? (value.get(key) as JqValue) : null;
  return CANNOT_INDEX;
}

/** The filter's output for one input value (undefined: jq's "Cannot index" error, no output). */
function summaryLine(value: JqValue): string | undefined {
  const summary = index(index(value, 'status'), 'summary');
  const total = index(summary, 'total');
  const ok = index(summary, 'ok');
  if (total === CANNOT_INDEX || ok === CANNOT_INDEX) return undefined;
  return `${jqInterpolate(total)} ${jqInterpolate(ok)}`;
}

/**
 * `$(jq -r '.status.summary | "\(.total) \(.ok)"' <body>)` over the values jq read from the
 * body (readJqValues): every output line, NUL bytes dropped (dash), trailing newlines removed.
 * Empty when jq printed nothing.
 */
export function jqSummaryCounts(values: readonly JqValue[]): string {
  const lines: string[] = [];
  for (const value of values) {
    const line = summaryLine(value);
    if (line !== undefined) lines.push(line);
  }
  return commandSubstitution(lines.map((l) => `${l}\n`).join(''));
}
