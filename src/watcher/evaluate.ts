// One peer's answer -> up/down, good/total and the failure list (contract §6 b, c), pure.
// Kept from the originals: only a 200 is read; `.status.summary.total` and `.ok` as `jq -r`
// prints them; up when they are equal as dash's `[ -eq ]` compares (a value that is not an
// integer is dash's "Illegal number" and the peer stays down, e.g. `[null/null]`).
// Divergences: D4 (every failing check listed), D9 (a 200 that is not JSON is down),
// D1 compatibility (`"code":000` still read, see jsoncompat.ts).
import { jqInterpolate, jqRawText, parseLenientJson, type Json } from './jsoncompat.ts';

export interface Evaluation {
  readonly up: boolean;
  /** `.status.summary.ok` as `jq -r` prints it ("0" when not read). */
  readonly good: string;
  /** `.status.summary.total` as `jq -r` prints it ("0" when not read). */
  readonly total: string;
  /** Items after ` — ` in the message: `<url>(<code>)` per failing check (D4), or a D9 note. */
  readonly failures: readonly string[];
  /** Lines the originals' shell prints on stderr for this answer (without the program prefix). */
  readonly shellErrors: readonly string[];
}

/** D9: what the message says about a 200 whose body is not a status (not JSON, too large). */
export const INVALID_BODY_NOTE = 'invalid status body';

export interface Answer {
  /** Three digits, `000` when the request failed. */
  readonly code: string;
  readonly body: Buffer;
  /** The body was cut at the size limit (D20): it cannot be a status. */
  readonly truncated?: boolean;
}

export function evaluate(answer: Answer): Evaluation {
  const text = answer.body.toString('utf8');
  const parsed = answer.truncated || text === '' ? undefined : parseLenientJson(text);
  const failures = answer.body.length > 0 ? failingChecks(parsed) : [];

  if (answer.code !== '200') return { up: false, good: '0', total: '0', failures, shellErrors: [] };
  // D9: not JSON (the originals: jq fails, 0 = 0, up) or `.status.summary` not indexable
  // (the originals: jq errors, up [0/0] as well) is down here.
  const summary = parsed === undefined ? NOT_INDEXABLE : jqPath(parsed, ['status', 'summary']);
  if (summary === NOT_INDEXABLE || (summary !== null && (typeof summary !== 'object' || Array.isArray(summary)))) {
    return { up: false, good: '0', total: '0', failures: [INVALID_BODY_NOTE], shellErrors: [] };
  }
  // The originals: counts=$(jq -r '.status.summary | "\(.total) \(.ok)"'); total=${counts%% *};
  // good=${counts#* }; then [ "$total" -eq "$good" ]. A missing summary gives `null null`.
  const fields = summary === null ? {} : summary;
  const counts = `${jqInterpolate(fields.total ?? null)} ${jqInterpolate(fields.ok ?? null)}`;
  const space = counts.indexOf(' ');
  const total = counts.slice(0, space);
  const good = counts.slice(space + 1);
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

const NOT_INDEXABLE = Symbol('not indexable');

/** jq's `.a.b`: null propagates, indexing a non-object is an error. */
function jqPath(value: Json, keys: readonly string[]): Json | typeof NOT_INDEXABLE {
  let cur: Json = value;
  for (const key of keys) {
    if (cur === null) return null;
    if (typeof cur !== 'object' || Array.isArray(cur)) return NOT_INDEXABLE;
    cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur[key] as Json) : null;
  }
  return cur;
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

/** D4: `<url>(<code>)` for every check of `.status.checks` with `"ok":false`, in body order. */
export function failingChecks(parsed: Json | undefined): string[] {
  if (parsed === undefined || parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  const status = parsed.status;
  if (status === null || typeof status !== 'object' || Array.isArray(status)) return [];
  const checks = status.checks;
  if (!Array.isArray(checks)) return [];
  const items: string[] = [];
  for (const check of checks) {
    if (check === null || typeof check !== 'object' || Array.isArray(check) || check.ok !== false) continue;
    items.push(`${jqRawText(check.url ?? null)}(${formatCode(check.code ?? null)})`);
  }
  return items;
}

/** A check's code as the router meant it: three digits (`000` whether written 000 or 0). */
function formatCode(code: Json): string {
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0) return String(code).padStart(3, '0');
  return jqRawText(code);
}
