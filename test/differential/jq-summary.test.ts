// Differential: the port's reading of a peer's 200 body (src/watcher/evaluate.ts, src/compat/jq/)
// against the originals' own code on the real tools: the evaluation lines of
// legacy/watcher.sh (jq 1.6 `-r '.status.summary | "\(.total) \(.ok)"'`, `${s%% *}`,
// `${s#* }`, dash's `[ -eq ]`) and its awk failure scan, run by dash on the same bodies.
// Generated bodies from a fixed seed (docs/behaviour.md §9: BOM, leading zeros, garbage tails,
// truncations, string counts, unicode, escapes, nesting) plus the contract's edge cases.
// Known divergences are counted, not failed: D9 (jq printed nothing: legacy up [0/0], port
// down), D26 (an empty count: legacy dies in the message step), D28 (a NUL byte), D4 (the
// failure list).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { evaluate } from '../../src/watcher/evaluate.ts';
import { jqSummaryCounts } from '../../src/compat/jq/filter.ts';
import { readJqValues } from '../../src/compat/jq/parse.ts';
import { run } from '../../scripts/lib/process.ts';
import { testIfInstalled } from '../support/installed.ts';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';
import { legacySlice, reportFigures } from './support.ts';

const SEED = Number(process.env.DIFF_SEED ?? 0x5e9711a); // DIFF_SEED=<n> explores other inputs
const GENERATED = Number(process.env.DIFF_COUNT ?? 320);

// ---- bodies -------------------------------------------------------------------------------

const NUMBER_FORMS = [
  '0',
  '1',
  '3',
  '03',
  '007',
  '000',
  '-0',
  '-1',
  '-07',
  '1.0',
  '10.0',
  '1.5',
  '1e1',
  '1E2',
  '1e+2',
  '1e-2',
  '2.5e0',
  '+1',
  '.5',
  '1.',
  '.5e1',
  '1.e1',
  '00.0',
  '1e400',
  '-1e400',
  '1e-400',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '99999999999999999999',
  '123456789012345678',
  '1e15',
  '1e16',
  '1e17',
  '1e18',
  '0.0001',
  '0.00001',
  'nan',
  'NaN',
  'inf',
  '-Infinity',
  'INF',
  '1e',
  '-',
  '0x10',
  '1_0',
  '1.2.3',
  '--1',
  'Infinit',
  'nul',
];
const STRING_FORMS = [
  '"5"',
  '"5\\n"',
  '"5\\n\\n"',
  '" 5"',
  '"5 "',
  '"\\t5"',
  '"5\\t"',
  '""',
  '" "',
  '"a b"',
  '"007"',
  '"+3"',
  '"-3"',
  '"1e1"',
  '"0x10"',
  '"é"',
  '"\\u00e9"',
  '"\\ud83d\\ude00"',
  '"\\udc00"',
  '"\\ud800"',
  '"\\ud800x"',
  '"a\\u0000b"',
  '"\\u001f"',
  '"\\/"',
  '"\\x"',
  '"\\u12"',
  '"\\uZZZZ"',
  '"\u007f"',
  '"\u001f"',
  '"\t"',
  '"\n"',
  '"5\\r"',
  '"\\r5"',
  '"\\f5"',
  '"\\u000b5"',
  '"12345678901234567890"',
  '"\\\\"',
  '"\\""',
];
const OTHER_FORMS = [
  'null',
  'true',
  'false',
  '[]',
  '[1]',
  '[1,2]',
  '{}',
  '{"a":1}',
  '{"b":1,"1":2,"b":3}',
  '["\\u007f"]',
  'tru',
  'nulll',
  'True',
];

const ASCII = 'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789-_.:/';
const UNICODE = ['é', 'ü', '—', '中', '😀', '\u00a0', '\u2028', '\ufeff', '\u007f'];
const RAW_BAD = [[0xff], [0xfe], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xf0, 0x9f, 0x98]];

function count(r: Prng): string {
  const roll = r.next();
  if (roll < 0.45) return r.pick(NUMBER_FORMS);
  if (roll < 0.55) return String(r.int(0, 999) - (r.chance(0.2) ? 500 : 0));
  if (roll < 0.85) return r.pick(STRING_FORMS);
  return r.pick(OTHER_FORMS);
}

function text(r: Prng): string {
  let out = '';
  const n = r.int(0, 7);
  for (let i = 0; i < n; i++) out += r.chance(0.85) ? r.pick([...ASCII]) : r.pick(UNICODE);
  return out;
}

function nested(r: Prng, depth: number): string {
  const roll = r.next();
  if (depth > 3 || roll < 0.35) return r.pick([`"${text(r)}"`, String(r.int(0, 99)), 'null', 'true', '1.5', '01']);
  if (roll < 0.65) return `[${Array.from({ length: r.int(0, 2) }, () => nested(r, depth + 1)).join(',')}]`;
  return `{${Array.from({ length: r.int(0, 2) }, () => `"${text(r)}":${nested(r, depth + 1)}`).join(',')}}`;
}

function check(r: Prng): string {
  const ok = r.chance(0.5);
  const code = ok ? r.pick(['200', '301']) : r.pick(['000', '404', '500', '0', '"x"']);
  const spacing = r.chance(0.15) ? ' ' : '';
  return `{"url":"http://${text(r)}/","code":${code},"time_s":0.001000,"ok":${spacing}${ok}}`;
}

/** A router-shaped body (or a variation of one), as text. */
function jsonText(r: Prng): string {
  const roll = r.next();
  const total = count(r);
  const ok = count(r);
  const checks = Array.from({ length: r.int(0, 3) }, () => check(r)).join(',');
  const extra = r.chance(0.3) ? `,"x":${nested(r, 0)}` : '';
  if (roll < 0.6) return `{"status":{"checks":[${checks}],"summary":{"total":${total},"ok":${ok}}${extra}},"disk":{"volumes":[]}}`;
  if (roll < 0.7) return `{"status":{"summary":{"ok":${ok},"total":${total}}}}`;
  if (roll < 0.75) return `{"status":{"summary":{"total":${total}}}}`;
  if (roll < 0.8)
    return r.pick([
      'null',
      '{}',
      '{"status":null}',
      '{"status":{}}',
      '{"status":{"summary":null}}',
      '[]',
      '"x"',
      '5',
      '{"status":5}',
      '{"status":{"summary":[1]}}',
      '{"status":{"summary":"s"}}',
    ]);
  if (roll < 0.88) return nested(r, 0);
  return `{"status":{"summary":{"total":${total},"ok":${ok}}}} {"status":{"summary":{"total":${count(r)},"ok":${count(r)}}}}`;
}

/** Whitespace jq allows between tokens, put after structure characters. */
function respace(r: Prng, json: string): string {
  if (!r.chance(0.25)) return json;
  const ws = r.pick([' ', '\n', '\r\n', '\t', '  ']);
  return json.replace(/([{[,:])(?=["{[0-9tfn-])/g, (m) => (r.chance(0.5) ? `${m}${ws}` : m));
}

export function body(r: Prng): Buffer {
  let parts: Buffer[] = [Buffer.from(respace(r, jsonText(r)), 'utf8')];
  // Raw bytes: invalid UTF-8 or a control character inside the first string.
  if (r.chance(0.1)) {
    const b = parts[0] as Buffer;
    const at = b.indexOf('"', b.indexOf('"total"') + 8);
    if (at > 0) {
      const raw = r.chance(0.7) ? Buffer.from(r.pick(RAW_BAD)) : Buffer.from([r.pick([0x01, 0x09, 0x0a, 0x1e, 0x1f, 0x7f])]);
      parts = [b.subarray(0, at + 1), raw, b.subarray(at + 1)];
    }
  }
  let out = Buffer.concat(parts);
  if (r.chance(0.12)) out = Buffer.concat([Buffer.from(r.pick([[0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf], [0xef, 0xbb], [0xef]])), out]);
  if (r.chance(0.15))
    out = Buffer.concat([
      out,
      Buffer.from(r.pick(['x', '}', ']', ' garbage', '<html>', ',', ':1', '\n{', ' 1', '"', ' "a"', 'true', '\n\n', ' nan', '1'])),
    ]);
  if (r.chance(0.12)) out = out.subarray(0, r.int(0, out.length));
  if (r.chance(0.08)) out = Buffer.concat([Buffer.from(r.pick([' ', '\n', '\t', '\r\n'])), out, Buffer.from(r.pick(['\n', ' ', '\r\n']))]);
  return out;
}

/** The contract's own examples and edge cases (§6 b, §9), first. */
const EDGES: Buffer[] = [
  '{"status":{"checks":[],"summary":{"total":0,"ok":0}},"disk":{"volumes":[]}}',
  '{"status":{"checks":[{"url":"http://a/","code":200,"time_s":0.001000,"ok":true},{"url":"http://b/","code":404,"time_s":0.001000,"ok":false},{"url":"http://127.0.0.1:1/x","code":000,"time_s":0,"ok":false}],"summary":{"total":3,"ok":1}},"disk":{"volumes":[]}}',
  '\ufeff{"status":{"summary":{"total":2,"ok":2}}}',
  '{"status":{"summary":{"total":2,"ok":2}}}garbage',
  '{"status":{"summary":{"total":5,"ok":"5\\n"}}}',
  '{"status":{"summary":{"total":5,"ok":""}}}',
  '{"foo":1}',
  'null',
  '',
  ' ',
  'hello',
  '{"status":',
  '[1]',
  '{"status":{"summary":{"total":1e1,"ok":10.0}}}',
  `{"status":{"summary":{"total":1,"ok":${'['.repeat(256)}${']'.repeat(256)}}}}`,
  `{"status":{"summary":{"total":1,"ok":${'['.repeat(257)}${']'.repeat(257)}}}}`,
  `${'{"a":'.repeat(127)}1${'}'.repeat(127)}`,
  `${'{"a":'.repeat(128)}1${'}'.repeat(128)}`,
  `${'{"a":'.repeat(129)}1${'}'.repeat(129)}`,
  '{"status":{"summary":{"total":1,"ok":1}},"n":"a\u0000b"}', // a raw NUL: D28
  'null}',
  '1[2]',
  '"s"[1]',
  '{"status":{"summary":{"total":1,"ok":1}}}]',
].map((t) => Buffer.from(t, 'utf8'));

// ---- the legacy side ----------------------------------------------------------------------

const EVALUATION = legacySlice(/^\s+state=down$/, /^\s+report "\$url"/);
const FAILURES = legacySlice(/^failures\(\) \{$/, /^while :; do$/);

/** One dash for every body: the evaluation lines, then the awk scan when the peer is down. */
const SCRIPT = `set -eu
jq() { command jq "$@" 2>/dev/null; }
${FAILURES}
for f in "$1"/*.body; do
  tmpb=$f
  code=200
  counts=
  {
${EVALUATION}
  } 2> "$f.err"
  printf '%s' "$state" > "$f.state"
  printf '%s' "$good" > "$f.good"
  printf '%s' "$total" > "$f.total"
  printf '%s' "$counts" > "$f.counts"
  if [ "$state" = down ] && [ -s "$tmpb" ]; then failures "$tmpb" > "$f.fail"; else : > "$f.fail"; fi
done
`;

interface LegacyResult {
  state: string;
  good: string;
  total: string;
  counts: string;
  err: string;
  fail: string;
}

/** The bodies in `shards` dash processes at once (each runs jq once per body). */
async function runLegacy(bodies: readonly Buffer[], shards = 4): Promise<LegacyResult[]> {
  return inTempDir('jq', async (root) => {
    const name = (i: number) => path.join(root, String(i % shards), `${String(i).padStart(5, '0')}.body`);
    for (let s = 0; s < shards; s++) fs.mkdirSync(path.join(root, String(s)));
    bodies.forEach((b, i) => fs.writeFileSync(name(i), b));
    await Promise.all(
      Array.from({ length: shards }, async (_, s) => {
        const r = await run('dash', ['-c', SCRIPT, 'watcher', path.join(root, String(s))]);
        if (r.status !== 0) throw new Error(`dash: status ${r.status}: ${r.stderr}`);
      }),
    );
    const read = (i: number, ext: string) => fs.readFileSync(`${name(i)}.${ext}`).toString('utf8');
    return bodies.map((_, i) => ({
      state: read(i, 'state'),
      good: read(i, 'good'),
      total: read(i, 'total'),
      counts: read(i, 'counts'),
      err: read(i, 'err').replace(/^watcher: \d+: /gm, ''),
      fail: read(i, 'fail'),
    }));
  });
}

// ---- comparison ---------------------------------------------------------------------------

testIfInstalled(['dash', 'jq', 'awk'])('jq summary: the port reads every body as jq 1.6 + dash do', async () => {
  const r = new Prng(SEED);
  const bodies = [...EDGES, ...Array.from({ length: GENERATED }, () => body(r))];
  const legacy = await runLegacy(bodies);
  const differences: string[] = [];
  const known = { D9: 0, D26: 0, D28: 0, D4: 0 };
  bodies.forEach((b, i) => {
    const old = legacy[i] as LegacyResult;
    const show = JSON.stringify(b.toString('latin1')).slice(0, 160);
    if (b.includes(0)) {
      known.D28 += 1;
      return;
    }
    const counts = jqSummaryCounts(readJqValues(b).values);
    if (counts !== old.counts) differences.push(`#${i} ${show}: counts ${JSON.stringify(counts)}, jq ${JSON.stringify(old.counts)}`);
    const ev = evaluate({ code: '200', body: b });
    if (old.counts === '') {
      // D9: jq printed nothing; the originals keep 0 = 0 and call the peer up.
      known.D9 += 1;
      if (ev.up || old.state !== 'up') differences.push(`#${i} ${show}: D9 body: port up=${ev.up}, legacy ${old.state}`);
      return;
    }
    const state = ev.up ? 'up' : 'down';
    const err = ev.shellErrors.map((l) => `${l}\n`).join('');
    if (state !== old.state || ev.good !== old.good || ev.total !== old.total || err !== old.err) {
      differences.push(
        `#${i} ${show}: port ${state} [${ev.good}/${ev.total}] ${JSON.stringify(err)}, legacy ${old.state} [${old.good}/${old.total}] ${JSON.stringify(old.err)}`,
      );
    }
    if (old.good === '' || old.total === '') known.D26 += 1;
    if ((old.fail !== '') !== ev.failures.length > 0) known.D4 += 1;
  });
  reportFigures(
    'jq summary',
    bodies.length,
    differences,
    `(known divergences: D9 ${known.D9}, D26 ${known.D26}, D28 ${known.D28}, D4 failure-list presence ${known.D4})`,
  );
  assert.is(differences.length, 0);
  // The generator must reach the interesting classes, or the test proves little.
  assert.ok(known.D9 > 10 && known.D26 > 3, JSON.stringify(known));
});

test.run();
