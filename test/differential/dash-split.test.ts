// Differential test: dash's field splitting of an unquoted expansion (`for url in $URLS`,
// `for volume in $VOLUMES`; docs/behaviour.md §4) against the port's splitWords (src/env.ts), which
// both routes use. Default IFS: space, tab and newline only; `set -f` isolates splitting from
// pathname expansion (tested in dash-glob.test.ts). One dash process handles every input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitWords } from '../../src/env.ts';
import { Prng } from '../support/prng.ts';
import { SEED, dash, nulFields, records, reportFigures, show, tempDir, writeInputs } from './support.ts';

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

test('dash word splitting of an unquoted expansion', () => {
  const rng = new Prng(SEED);
  const values = [...EDGE];
  while (values.length < EDGE.length + 320) values.push(rng.join(PIECES, rng.int(0, 12)));
  const { dir, remove } = tempDir('split');
  try {
    const files = writeInputs(
      dir,
      values.map((v) => Buffer.from(v, 'utf8')),
    );
    const out = dash(
      'set -f; for f in "$@"; do v=$(cat "$f"; printf x); v=${v%x}; for w in $v; do printf "%s\\0" "$w"; done; printf "\\1"; done',
      files,
    );
    const got = records(out);
    assert.is(got.length, values.length, 'one record per input');
    const differences: string[] = [];
    values.forEach((value, i) => {
      const expected = nulFields(got[i] as Buffer);
      const port = splitWords(value).map((w) => Buffer.from(w, 'utf8').toString('latin1'));
      if (JSON.stringify(port) !== JSON.stringify(expected))
        differences.push(`${show(Buffer.from(value, 'utf8'))}: dash ${JSON.stringify(expected)}, port ${JSON.stringify(port)}`);
    });
    reportFigures('dash word splitting', values.length, differences);
    assert.equal(differences, []);
  } finally {
    remove();
  }
});

test.run();
