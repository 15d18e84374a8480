// Differential: environment values are bytes (src/bytes.ts, docs/behaviour.md §1). On generated
// byte strings from a fixed seed (valid UTF-8, latin-1 bytes, truncated, overlong and surrogate
// sequences, code points past U+10FFFF, shell and form syntax): decode/encode give every byte
// string back, and for each string put into the environment by the real dash, what the port
// reads (src/env.ts processEnvironment, from /proc/self/environ) and writes equals what dash
// writes: the value itself (`printf %s "$X"`), a log line (legacy/log.sh), the Telegram form
// encoding (legacy/watcher.sh's form_encode: od and awk) and `printf %s "$X" | cksum`.
// Values hold no NUL byte (the environment cannot).
import { readFileSync, writeFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode } from '../../src/bytes.ts';
import { Prng, dash, latin1, reportFigures, show, tempDir, writeInputs } from './support.ts';
import { ROOT, have, legacySlice } from './random-watcher.ts';

const GENERATED = 320;

/** Pieces values are made of, as latin1 strings (one char per byte). */
const PIECES = [
  'a',
  'Z9',
  ' ',
  '\t',
  '\n',
  '\\',
  '\\c',
  '\\0101',
  '%',
  '&',
  '=',
  '+',
  '-._~',
  "'",
  '"',
  '$x',
  '*',
  '\xc3\xa4', // UTF-8 ä
  '\xe2\x98\x83', // UTF-8 ☃
  '\xf0\x9f\x98\x80', // UTF-8 U+1F600
  '\xef\xbf\xbd', // UTF-8 U+FFFD itself
  '\xe4', // latin-1 ä
  '\xff',
  '\x80',
  '\xe2\x98', // truncated
  '\xc0\xaf', // overlong
  '\xe0\x80\xaf', // overlong
  '\xed\xa0\x80', // an encoded surrogate
  '\xf4\x90\x80\x80', // past U+10FFFF
  '\xf5\x80\x80\x80',
  '\x01',
  '\x1b[0m',
];

function generate(rng: Prng): Buffer {
  if (rng.next() < 0.25) {
    const bytes = Buffer.alloc(rng.int(1, 40));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(1, 255);
    return bytes;
  }
  return latin1(rng.join(PIECES, rng.int(0, 12)));
}

function inputs(): Buffer[] {
  const rng = new Prng();
  const edge = ['', 'peers.sentinella.test', 'peers\xe4.test', '-100\xe4', 'http\xe4', 'a\n\n', '\xe4\xc3\xa4'].map(latin1);
  const generated = Array.from({ length: GENERATED }, () => generate(rng));
  return [...edge, ...generated];
}

test('decode/encode: every byte string comes back, UTF-8 decodes as Buffer decodes it', () => {
  const rng = new Prng(0xb17e5);
  // With NUL bytes too: the pair is not only for the environment.
  const all = [
    ...inputs(),
    ...Array.from({ length: 100 }, () => Buffer.from(Array.from({ length: rng.int(0, 30) }, () => rng.int(0, 255)))),
  ];
  const differences: string[] = [];
  let notUtf8 = 0;
  for (const input of all) {
    const text = decode(input);
    if (!encode(text).equals(input)) differences.push(`${show(input)}: encode(decode()) is ${show(encode(text))}`);
    if (isUtf8(input) && text !== input.toString('utf8'))
      differences.push(`${show(input)}: valid UTF-8 decoded as ${JSON.stringify(text)}`);
    if (!isUtf8(input)) notUtf8 += 1;
  }
  reportFigures('bytes round trip', all.length, differences, `(${notUtf8} of them not UTF-8)`);
  assert.equal(differences, []);
  assert.ok(notUtf8 > all.length / 3, 'the generator reaches bytes that are not UTF-8');
});

const TOOLS = ['dash', 'od', 'awk', 'cksum'];
const available = have(...TOOLS);

/** Each input file is put into the environment as X<name> by dash, which writes its own outputs, then runs the port's reader. */
const SCRIPT = `. "$ROOT/legacy/colors.sh"
. "$ROOT/legacy/log.sh"
${legacySlice(/^form_encode\(\) \{$/, /^notify\(\) \{$/)}
for f in "$@"; do
  v=$(cat "$f"; printf x)
  v=\${v%x}
  printf '%s' "$v" > "$f.dash"
  log info "$v" 2> "$f.log"
  form_encode "$v" > "$f.form"
  printf '%s' "$v" | cksum > "$f.cksum"
  export "X\${f##*/}=$v"
done
exec "$NODE" --import tsx "$CHILD" "$@"`;

/** The port's side, in one process that has every value in its environment. */
const CHILD = (src: string) => `import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encode } from '${src}/bytes.ts';
import { processEnvironment } from '${src}/env.ts';
import { formatLogLine } from '${src}/log.ts';
import { formEncode } from '${src}/watcher/notify.ts';
import { cksum } from '${src}/watcher/state.ts';
const env = processEnvironment();
for (const f of process.argv.slice(2)) {
  const v = env['X' + path.basename(f)];
  if (v === undefined) continue;
  writeFileSync(f + '.port', encode(v));
  writeFileSync(f + '.port-log', formatLogLine('info', v));
  writeFileSync(f + '.port-form', formEncode(v));
  writeFileSync(f + '.port-cksum', String(cksum(v)));
}
`;

(available ? test : test.skip)(`environment values: what the port reads and writes equals what dash writes (${TOOLS.join(', ')})`, () => {
  const values = inputs();
  const { dir, remove } = tempDir('env-bytes');
  try {
    const files = writeInputs(dir, values);
    const child = path.join(dir, 'child.mjs');
    writeFileSync(child, CHILD(path.join(ROOT, 'src')));
    const script = `ROOT='${ROOT}' NODE='${process.execPath}' CHILD='${child}'\n${SCRIPT}`;
    dash(script, files, { cwd: ROOT });
    const differences: string[] = [];
    const read = (file: string): Buffer | null => {
      try {
        return readFileSync(file);
      } catch {
        return null;
      }
    };
    values.forEach((value, i) => {
      const f = files[i] as string;
      const pairs: [string, Buffer | null, Buffer | null][] = [
        ['value', read(`${f}.dash`), read(`${f}.port`)],
        ['log line', read(`${f}.log`), read(`${f}.port-log`)],
        ['form encoding', read(`${f}.form`), read(`${f}.port-form`)],
        ['cksum', Buffer.from((read(`${f}.cksum`)?.toString('latin1') ?? '').split(' ')[0] ?? ''), read(`${f}.port-cksum`)],
      ];
      if (!read(`${f}.dash`)?.equals(value)) differences.push(`${show(value)}: dash's printf wrote ${show(read(`${f}.dash`) ?? '')}`);
      for (const [what, legacy, port] of pairs) {
        if (legacy === null || port === null || !legacy.equals(port))
          differences.push(`${show(value)} ${what}: dash ${show(legacy ?? '(none)')}, port ${show(port ?? '(none)')}`);
      }
    });
    const notUtf8 = values.filter((v) => !isUtf8(v)).length;
    reportFigures('environment bytes (value, log line, form encoding, cksum)', values.length, differences, `(${notUtf8} not UTF-8)`);
    assert.equal(differences, []);
  } finally {
    remove();
  }
});

test.run();
