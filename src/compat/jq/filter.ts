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

/**
 * Where a body holds its summary: `.status.summary` in the summary body of `GET /` (§6 b, the
 * originals' filter); `.summary` in the body of `GET /status` (§12, D44).
 */
export type SummaryPath = readonly string[];
export const SUMMARY_OF_SUMMARY_BODY: SummaryPath = ['status', 'summary'];
export const SUMMARY_OF_STATUS_BODY: SummaryPath = ['summary'];

/** The filter's output for one input value (undefined: jq's "Cannot index" error, no output). */
function summaryLine(value: JqValue, path: SummaryPath): string | undefined {
  const summary = path.reduce<JqValue | typeof CANNOT_INDEX>((v, key) => index(v, key), value);
  const total = index(summary, 'total');
  const ok = index(summary, 'ok');
  if (total === CANNOT_INDEX || ok === CANNOT_INDEX) return undefined;
  return `${jqInterpolate(total)} ${jqInterpolate(ok)}`;
}

/**
 * `$(jq -r '.status.summary | "\(.total) \(.ok)"' <body>)` over the values jq read from the
 * body (readJqValues): every output line, NUL bytes dropped (dash), trailing newlines removed.
 * Empty when jq printed nothing. `path`: the same filter on another summary (`.summary | ...`
 * for a /status body).
 */
export function jqSummaryCounts(values: readonly JqValue[], path: SummaryPath = SUMMARY_OF_SUMMARY_BODY): string {
  const lines: string[] = [];
  for (const value of values) {
    const line = summaryLine(value, path);
    if (line !== undefined) lines.push(line);
  }
  return commandSubstitution(lines.map((l) => `${l}\n`).join(''));
}
