// One peer's reply -> up/down, good/total and the failure list (docs/behaviour.md §6 b, c, §9), pure.
// Kept from the originals: only a 200 is read; the counts are
// `s=$(jq -r '.status.summary | "\(.total) \(.ok)"' <body>)` (src/compat/jq/: every value jq
// 1.6 reads before a parse error, BOM skipped, leading zeros, strings pasted raw), split at the
// first space (`${s%% *}`, `${s#* }`); up when they are equal as dash's `[ -eq ]` compares (a
// value that is not an integer is dash's "Illegal number" and the peer stays down, e.g.
// `[null/null]`).
// Divergences: D4 (every failing check listed), D9 (a 200 from which jq prints nothing is
// down), D26 (an empty count is a down peer, not the end of the watcher), D27 (no jq lines).
import { jqSummaryCounts, SUMMARY_OF_STATUS_BODY } from '../compat/jq/filter.ts';
import { readJqValues, type JqValue } from '../compat/jq/parse.ts';
import { jqRawText } from '../compat/jq/print.ts';

export interface Evaluation {
  readonly up: boolean;
  /** `.status.summary.ok` as the shell holds it ("0" when not read). */
  readonly good: string;
  /** `.status.summary.total` as the shell holds it ("0" when not read). */
  readonly total: string;
  /** Items after ` — ` in the message: `<url>(<code>)` per failing check (D4), or a D9 note. */
  readonly failures: readonly string[];
  /** Lines the originals' shell prints on stderr for this reply (without the program prefix). */
  readonly shellErrors: readonly string[];
}

/** D9: what the message says about a 200 whose body is not a status (not JSON, too large). */
export const INVALID_BODY_NOTE = 'invalid status body';

export interface StatusReply {
  /** Three digits, `000` when the request failed. */
  readonly code: string;
  readonly body: Buffer;
  /** The body was cut at the size limit (D20): it cannot be a status. */
  readonly truncated?: boolean;
}

/** The counts as the originals hold them: `${s%% *}` and `${s#* }` of the jq output. */
export interface Counts {
  readonly total: string;
  readonly good: string;
}

/** `${s%% *}` / `${s#* }`: without a space both are the whole text (dash's rule). */
export function splitCounts(s: string): Counts {
  const space = s.indexOf(' ');
  return space < 0 ? { total: s, good: s } : { total: s.slice(0, space), good: s.slice(space + 1) };
}

export function evaluate(reply: StatusReply): Evaluation {
  // The body is read once: the failure list takes the first value jq read, the counts all of them.
  const values = reply.truncated || reply.body.length === 0 ? [] : readJqValues(reply.body).values;
  const failures = reply.body.length > 0 ? failingChecks(values[0]) : [];

  if (reply.code !== '200') return { up: false, good: '0', total: '0', failures, shellErrors: [] };
  // D9: jq printed nothing (not JSON, empty, `.status.summary` not indexable; the originals:
  // 0 = 0, up) or the body was cut (D20): down here.
  const s = jqSummaryCounts(values);
  if (s === '') return { up: false, good: '0', total: '0', failures: [INVALID_BODY_NOTE], shellErrors: [] };
  const { total, good } = splitCounts(s);
  return compare(good, total, failures);
}

/**
 * A peer's `GET /status` reply in the SRV version (docs/behaviour.md §12). The originals read
 * it with the earlier filter, `.status.summary`, which a /status body does not have: every 200
 * was `up [0/0]`, failing checks or not. The port reads the body's own `summary` and lists its
 * `checks` (D44, D4); a 200 from which nothing can be read is down (D9). Kept from §12: a count
 * that is not all digits (empty, null, signed, decimal) counts as 0.
 */
export function evaluateStatusBody(reply: StatusReply): Evaluation {
  const values = reply.truncated || reply.body.length === 0 ? [] : readJqValues(reply.body).values;
  const failures = reply.body.length > 0 ? failingChecks(values[0], STATUS_BODY_CHECKS) : [];
  if (reply.code !== '200') return { up: false, good: '0', total: '0', failures, shellErrors: [] };
  const s = jqSummaryCounts(values, SUMMARY_OF_STATUS_BODY);
  if (s === '') return { up: false, good: '0', total: '0', failures: [INVALID_BODY_NOTE], shellErrors: [] };
  const counts = splitCounts(s);
  const total = /^[0-9]+$/.test(counts.total) ? counts.total : '0';
  const good = /^[0-9]+$/.test(counts.good) ? counts.good : '0';
  // `[ "$total" -eq "$good" ]`: only a number past dash's intmax is still "Illegal number".
  return compare(good, total, failures);
}

/** `[ "$total" -eq "$good" ]`: up when equal; an operand dash cannot read is "Illegal number". */
function compare(good: string, total: string, failures: readonly string[]): Evaluation {
  const t = dashInteger(total);
  if (t === undefined) return down(good, total, failures, total);
  const g = dashInteger(good);
  if (g === undefined) return down(good, total, failures, good);
  const up = t === g;
  return { up, good, total, failures: up ? [] : failures, shellErrors: [] };
}

function down(good: string, total: string, failures: readonly string[], bad: string): Evaluation {
  return { up: false, good, total, failures, shellErrors: [`[: Illegal number: ${bad}`] };
}

/**
 * dash's `[ "$a" -eq "$b" ]` operand: strtoimax base 10 (leading blanks, a sign), then only
 * blanks; anything else, an empty string or an overflow is "Illegal number".
 */
export function dashInteger(text: string): bigint | undefined {
  const match = /^[ \t\n\v\f\r]*([+-]?[0-9]+)[ \t\n\v\f\r]*$/.exec(text);
  if (!match) return undefined;
  const n = BigInt(match[1] as string);
  return n > 9223372036854775807n || n < -9223372036854775808n ? undefined : n;
}

/** Where a body holds its `checks`: under `status` in the summary body of `GET /`, at the top in a /status body. */
const SUMMARY_BODY_CHECKS: readonly string[] = ['status'];
const STATUS_BODY_CHECKS: readonly string[] = [];

/** D4: `<url>(<code>)` for every check of `.status.checks` (`within` the body) with `"ok":false`, in body order. */
export function failingChecks(parsed: JqValue | undefined, within: readonly string[] = SUMMARY_BODY_CHECKS): string[] {
  let status: JqValue | undefined = parsed;
  for (const key of within) status = status instanceof Map ? status.get(key) : undefined;
  if (!(status instanceof Map)) return [];
  const checks = status.get('checks');
  if (!Array.isArray(checks)) return [];
  const items: string[] = [];
  for (const check of checks) {
    if (!(check instanceof Map) || check.get('ok') !== false) continue;
    items.push(`${jqRawText(check.get('url') ?? null)}(${formatCode(check.get('code') ?? null)})`);
  }
  return items;
}

/** A check's code as the router meant it: three digits (`000` whether written 000 or 0). */
function formatCode(code: JqValue): string {
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0) return String(code).padStart(3, '0');
  return jqRawText(code);
}
