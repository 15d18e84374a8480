// Readable differences between two observations: field by field, and for byte fields a line
// diff with every control character made visible (\e \r \t \xHH), so a stray CR or colour
// code shows. Pure functions.
import { fromRepresentation } from './normalise.ts';
import type { Observation } from './types.ts';

export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (ch) => {
    if (ch === '\x1b') return '\\e';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    if (ch === '\n') return '\\n';
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Lines of a byte field, each ending with its visible \n. */
function lines(value: string | { base64: string } | undefined): string[] {
  if (value === undefined) return ['(absent)'];
  const text = fromRepresentation(value).toString('latin1');
  const parts = text.split(/(?<=\n)/);
  return parts.length === 1 && parts[0] === '' ? ['(empty)'] : parts.map(visible);
}

/** A unified-style line diff (LCS; inputs are small). */
export function lineDiff(expected: string[], actual: string[]): string {
  const n = expected.length;
  const m = actual.length;
  if (n * m > 250_000) {
    return [
      `  (too long for a line diff: ${n} vs ${m} lines)`,
      ...expected.slice(0, 20).map((l) => `- ${l}`),
      ...actual.slice(0, 20).map((l) => `+ ${l}`),
    ].join('\n');
  }
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      out.push(`  ${expected[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${expected[i]}`);
      i++;
    } else {
      out.push(`+ ${actual[j]}`);
      j++;
    }
  }
  return out.join('\n');
}

/** Differences between an expected and an actual observation; empty when they match. */
export function diffObservations(expected: Observation, actual: Observation): string[] {
  const problems: string[] = [];
  const byteField = (name: string, e: string | { base64: string } | undefined, a: string | { base64: string } | undefined) => {
    const el = lines(e);
    const al = lines(a);
    if (el.join('') !== al.join('')) problems.push(`${name} differs (- expected, + actual):\n${lineDiff(el, al)}`);
  };
  byteField('stdout', expected.stdout, actual.stdout);
  byteField('stderr', expected.stderr, actual.stderr);
  if (expected.exit !== actual.exit) problems.push(`exit differs: expected ${expected.exit}, actual ${actual.exit}`);
  if (expected.stopStatus !== actual.stopStatus) {
    problems.push(
      `stop status differs: expected ${expected.stopStatus ?? '(not recorded)'}, actual ${actual.stopStatus ?? '(not recorded)'}`,
    );
  }
  const er = expected.responses ?? [];
  const ar = actual.responses ?? [];
  if ((expected.responses === undefined) !== (actual.responses === undefined) || er.length !== ar.length) {
    problems.push(`responses: expected ${er.length}, actual ${ar.length}`);
  }
  for (let k = 0; k < Math.min(er.length, ar.length); k++) {
    byteField(`response #${k + 1}`, er[k]!.bytes, ar[k]!.bytes);
    if (er[k]!.end !== ar[k]!.end) problems.push(`response #${k + 1} ended by ${ar[k]!.end}, expected ${er[k]!.end}`);
  }
  const ef = expected.files ?? {};
  const af = actual.files ?? {};
  for (const name of new Set([...Object.keys(ef), ...Object.keys(af)])) {
    if (!(name in af)) problems.push(`file ${name}: expected, missing`);
    else if (!(name in ef))
      problems.push(`file ${name}: unexpected, content ${JSON.stringify(visible(fromRepresentation(af[name]!).toString('latin1')))}`);
    else byteField(`file ${name}`, ef[name], af[name]);
  }
  listField('telegram request', expected.telegram, actual.telegram, problems);
  listField('peer request', expected.peerRequests, actual.peerRequests, problems);
  if (actual.harnessErrors?.length) problems.push(`harness errors:\n  ${actual.harnessErrors.join('\n  ')}`);
  return problems;
}

function listField(name: string, expected: readonly object[] | undefined, actual: readonly object[] | undefined, problems: string[]): void {
  const e = (expected ?? []).map((x) => JSON.stringify(x));
  const a = (actual ?? []).map((x) => JSON.stringify(x));
  if (e.join('\n') !== a.join('\n')) problems.push(`${name}s differ (- expected, + actual):\n${lineDiff(e, a)}`);
}
