// Differential test: dash's field splitting of an unquoted expansion (`for url in $URLS`,
// `for volume in $VOLUMES`; docs/behaviour.md §4) against the port's splitWords (src/env.ts), which
// both routes use. Default IFS: space, tab and newline only; `set -f` isolates splitting from
// pathname expansion (tested in dash-glob.test.ts). One dash process handles every input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitWords } from '../../src/env.ts';
import { dashFieldDifferences, seededInputs } from './support.ts';

const PIECES = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\v',
  '\f',
  '\u00a0',
  'a',
  'b',
  'http://127.0.0.2:8080/x',
  '/mnt/vol1',
  'é',
  '\\',
  '"',
  "'",
  '*',
  '$x',
  ';',
  '#',
];

// The contract's edge cases first: whitespace around and between words, other controls kept.
const EDGE = ['', ' ', ' \t\n ', ' a\tb\nc ', 'a\r b', 'a\vb\fc', `${'\u00a0'}a`, '/mnt/vol2\t/mnt/vol1\n/proc ', 'http://a/ http://b/'];

test('dash word splitting of an unquoted expansion', async () => {
  const values = seededInputs(EDGE, 320, (rng) => rng.join(PIECES, rng.int(0, 12)));
  const differences = await dashFieldDifferences(
    'dash word splitting',
    'set -f; for f in "$@"; do v=$(cat "$f"; printf x); v=${v%x}; for w in $v; do printf "%s\\0" "$w"; done; printf "\\1"; done',
    values.map((v) => Buffer.from(v, 'utf8')),
    (_, i) => splitWords(values[i] as string).map((w) => Buffer.from(w, 'utf8').toString('latin1')),
  );
  assert.equal(differences, []);
});

test.run();
