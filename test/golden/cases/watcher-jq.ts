// Watcher: what the originals inherit from jq 1.6 and dash when they read a peer's 200 body
// (docs/behaviour.md §6 b-c, §9): BOM, leading zeros, a JSON value followed by garbage, several values,
// string counts pasted raw, empty counts (`${3:?}`), number forms, huge and negative numbers.
// One round each; the peer answers with the router's header layout.
import type { GoldenCase, PeerSpec } from '../types.ts';
import { WATCHER_ENV } from './watcher-examples.ts';

const NAME = 'peers.sentinella.test';
const dnsWith = (...peers: string[]) => ({ records: { [NAME]: { A: ['127.0.0.1', ...peers] } } });
/** A peer at `host` answering 200 with exactly `body`. */
const answering = (host: string, body: string): PeerSpec => ({ host, answers: [{ kind: 'json', body }] });
/** A router-shaped body with the given raw JSON texts for total and ok. */
const summary = (total: string, ok: string) => `{"status":{"checks":[],"summary":{"total":${total},"ok":${ok}}},"disk":{"volumes":[]}}`;

/** One case, one peer per body (127.0.0.2, .3, ...). */
function bodyCase(id: string, title: string, body: string | readonly string[], divergences?: string[]): GoldenCase {
  const bodies = typeof body === 'string' ? [body] : body;
  const hosts = bodies.map((_, i) => `127.0.0.${i + 2}`);
  return {
    id,
    program: 'watcher',
    title,
    env: WATCHER_ENV,
    dns: dnsWith(...hosts),
    peers: bodies.map((b, i) => answering(hosts[i] as string, b)),
    ...(divergences ? { divergences } : {}),
  };
}

export const cases: GoldenCase[] = [
  bodyCase('watcher-jq-bom', '§9 jq 1.6 skips a leading UTF-8 BOM: [2/2] up', `\ufeff${summary('2', '2')}`),
  bodyCase(
    'watcher-jq-garbage-tail-up',
    '§9 D9 D27 valid JSON then garbage: jq prints the first value and `parse error`; [2/2] up on both sides, the port prints no jq line',
    `${summary('2', '2')}<html>oops</html>`,
    ['D27'],
  ),
  bodyCase(
    'watcher-jq-garbage-tail-down',
    '§9 D27 valid JSON with 1 of 3 ok, then a stray `}`: [1/3] down as jq read it (legacy parse error line)',
    `${summary('3', '1')}}`,
    ['D27'],
  ),
  bodyCase(
    'watcher-jq-two-values',
    '§9 two JSON values: jq prints `null null` and `1 1`; total `null`, good `null<LF>1 1`, Illegal number, down',
    `{"status":null}\n${summary('1', '1')}`,
  ),
  bodyCase(
    'watcher-jq-truncated-second-value',
    '§9 D27 a summary, then a second value cut short: jq prints `1 1`, then its parse error; [1/1] up',
    `${summary('1', '1')} {"status":`,
    ['D27'],
  ),
  bodyCase(
    'watcher-jq-string-count-newline',
    '§9 a string count is pasted raw: `"ok":"5\\n"` reads as 5 ($(...) drops the newline), [5/5] up',
    summary('5', '"5\\n"'),
  ),
  bodyCase(
    'watcher-jq-string-count-leading-space',
    '§9 `"ok":" 5"`: good is ` 5`, dash -eq skips leading blanks: [ 5/5] up',
    summary('5', '" 5"'),
  ),
  bodyCase('watcher-jq-string-count-zeros', '§9 `"ok":"007"` with total 7: [007/7] up, state up:007/7:200', summary('7', '"007"')),
  bodyCase(
    'watcher-jq-string-count-word',
    '§9 `"total":"a b"`: split at the first space: total a, good `b 1`, Illegal number: a',
    summary('"a b"', '1'),
  ),
  bodyCase(
    'watcher-jq-empty-ok',
    '§9 D26 `"ok":""`: Illegal number, then the message step dies on ${3:?} (legacy exit 2 with the tmpb line); port reports [/3] down and goes on',
    summary('3', '""'),
    ['D26'],
  ),
  bodyCase(
    'watcher-jq-empty-total',
    '§9 D26 `"total":""`: the message step dies on ${4:?} (legacy); port reports [3/] down',
    summary('""', '3'),
    ['D26'],
  ),
  bodyCase(
    'watcher-jq-leading-space-total',
    '§9 D26 `"total":" 5"`: the text is ` 5 5`, total is empty (before the first space), ${4:?} (legacy); port [5 5/] down',
    summary('" 5"', '5'),
    ['D26'],
  ),
  bodyCase(
    'watcher-jq-nul-in-string',
    '§9 `"total":"a\\u0000b"`: jq -r prints the NUL, dash drops it: Illegal number: ab',
    summary('"a\\u0000b"', '1'),
  ),
  bodyCase(
    'watcher-jq-object-count',
    '§9 an object count is compact JSON in jq key order: Illegal number: {"b":3,"1":2}',
    summary('{"b":1,"1":2,"b":3}', '1'),
  ),
  bodyCase('watcher-jq-null-summary-fields', '§6 b `.status.summary` is `{}`: `null null`, [null/null] down', '{"status":{"summary":{}}}'),
  bodyCase('watcher-jq-bool-counts', '§9 `true`/`true`: Illegal number: true, [true/true] down', summary('true', 'true')),
  bodyCase(
    'watcher-jq-number-literals',
    '§9 numbers jq 1.6 reads: `+1`/`1.` is [1/1] up, `.5e1`/`05` [5/5] up, `NaN`/`-nan` [null/null] down, `1e400` prints DBL_MAX (Illegal number)',
    [summary('+1', '1.'), summary('.5e1', '05'), summary('NaN', '-nan'), summary('1e400', '1e400')],
  ),
  bodyCase('watcher-jq-negative-and-zero', '§9 `-1`/`-1` [-1/-1] up; `-0`/`0` [0/-0] up (dash: -0 equals 0); `-2`/`2` down', [
    summary('-1', '-1'),
    summary('-0', '0'),
    summary('-2', '2'),
  ]),
  bodyCase(
    'watcher-jq-huge-numbers',
    '§9 jq prints 2^63-1 as 9223372036854776000, 1e19 as 1e+19 and 1e18 as 1e+18: out of range or not integers for dash, Illegal number, down',
    [summary('9223372036854775807', '9223372036854775806'), summary('1e19', '1e19'), summary('1e18', '1000000000000000000')],
  ),
  bodyCase(
    'watcher-jq-crlf-pretty',
    '§9 a pretty-printed body with CRLF line ends: [1/1] up',
    '{\r\n  "status": {\r\n    "summary": { "total": 1, "ok": 1 }\r\n  }\r\n}\r\n',
  ),
  bodyCase(
    'watcher-jq-too-deep',
    '§9 D9 257 nested arrays in a count: jq refuses (depth limit), prints nothing: legacy up [0/0], port down',
    summary('1', `${'['.repeat(257)}${']'.repeat(257)}`),
    ['D9'],
  ),
  bodyCase(
    'watcher-jq-raw-tab-in-string',
    '§9 D9 a raw TAB inside a string: jq 1.6 refuses the body (control characters), legacy up [0/0], port down',
    summary('"a\tb"', '1'),
    ['D9'],
  ),
  bodyCase(
    'watcher-jq-unit-separator-in-string',
    '§9 a raw 0x1f inside a string is accepted by jq 1.6 (its check stops at 0x1e): Illegal number: a<US>b',
    summary('"a\u001fb"', '1'),
  ),
  bodyCase(
    'watcher-jq-lone-surrogate',
    '§9 D9 `"\\ud800"` without its pair: jq refuses the body (surrogate pair escape), legacy up [0/0], port down',
    summary('"\\ud800"', '1'),
    ['D9'],
  ),
  bodyCase(
    'watcher-jq-raw-nul',
    '§9 D28 a raw NUL byte inside a string: Debian 12 jq stops reading at it (Unfinished string), legacy up [0/0]; port: a body holding NUL is not a status, down',
    '{"status":{"checks":[],"summary":{"total":1,"ok":1}},"note":"a\u0000b"}',
    ['D28'],
  ),
  bodyCase(
    'watcher-jq-nul-after-json',
    '§9 D28 a NUL byte after a whole summary: Debian 12 jq reads up to it, legacy up [1/1]; port: a body holding NUL is not a status, down',
    `${summary('1', '1')}\u0000garbage`,
    ['D28'],
  ),
  bodyCase(
    'watcher-jq-nan-lowercase',
    "§9 D9 D27 a lowercase `nan`: Debian 12 jq refuses it (Invalid literal), legacy up [0/0] with jq's line; port down, no jq line",
    summary('1', 'nan'),
    ['D9', 'D27'],
  ),
  bodyCase('watcher-jq-low-surrogate', '§9 a lone `"\\udc00"` becomes U+FFFD: Illegal number: \ufffd', summary('"\\udc00"', '1')),
];
