// Differential test: dash's pathname expansion of an unquoted word (docs/behaviour.md §4.8, §9:
// how the router expands VOLUMES) against the port's src/compat/dash-glob.ts, in a generated
// temporary tree holding hidden names, UTF-8 names, names with pattern characters and
// backslashes, directories, symlinks to directories and files, and a dangling symlink. The real
// dash runs `set -- $pattern; printf '%s\0' "$@"` for every pattern in one process.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globBytes } from '../../src/compat/dash-glob.ts';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';
import { SEED, dash, latin1, nulFields, records, reportFigures, show } from './support.ts';

const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

// Names (latin1 byte strings) made in the root and in the two sub-directories.
const NAMES = ['a', 'b', 'B', 'ab', 'ba', '.h', '.hidden', '_x', utf8('é'), 'c-d', '^', '!x', '[x]', '*', 'q\\r', 'Z9', 'a.b', '-'];

function makeTree(rng: Prng, root: string): void {
  const at = (...parts: string[]) => latin1(path.join(root, ...parts));
  for (const dir of ['d1', 'd2', '.dd']) mkdirSync(at(dir));
  for (const dir of ['', 'd1', 'd2', '.dd']) {
    for (const name of NAMES) {
      if (rng.next() < 0.5) continue;
      if (rng.next() < 0.2) mkdirSync(at(dir, name));
      else writeFileSync(at(dir, name), '');
    }
  }
  symlinkSync('d1', at('ld'));
  symlinkSync('../d2', at('d1', 'up'));
  writeFileSync(at('file'), '');
  symlinkSync('file', at('lf'));
  symlinkSync('missing', at('dangling'));
}

const TOKENS = [
  '*',
  '*',
  '?',
  '[!a]',
  '[^a]',
  '[a-c]',
  '[[:upper:]]',
  '[]a]',
  '[!]',
  '[',
  ']',
  '.',
  '.*',
  '\\*',
  '\\a',
  '\\.',
  'a',
  'b',
  'd',
  '1',
  '2',
  'l',
  '-',
  '!',
  '^',
  utf8('é'),
  '_',
  'h',
];

const LIKELY = [
  '*',
  '?',
  '?*',
  'd?',
  'd*',
  '.*',
  '.?',
  '[!a]*',
  '[^a]*',
  '[^a]',
  'l*',
  '*b',
  '[a-c]*',
  '\\a*',
  '[[:upper:]]*',
  '*[!.]*',
  '.[!.]*',
  'd1',
  'ld',
  'up',
  '..',
  '.',
  'q\\\\r',
  '\\[x]',
  '[[]x]',
  utf8('?é*'),
  utf8('*\xc3?'),
  '*-*',
];

function pattern(rng: Prng, root: string): string {
  const components = rng.int(1, 3);
  const parts: string[] = [];
  for (let i = 0; i < components; i++) {
    // Half the components are likely to match something in the tree, half are noise.
    parts.push(rng.next() < 0.8 ? rng.pick(LIKELY) : rng.join(TOKENS, rng.int(1, 3)));
  }
  let text = parts.join(rng.next() < 0.1 ? '//' : '/');
  if (rng.next() < 0.2) text += '/';
  if (rng.next() < 0.3) text = `${latin1(root).toString('latin1')}/${text}`;
  return text;
}

// The contract's cases (§9) and the golden ones, relative to the tree's root.
const EDGE = [
  '*',
  '.*',
  '*/',
  '.?',
  '[!a]',
  '[^a]',
  '?',
  '[.]h',
  'b\\*',
  '\\a*',
  'd*/*',
  '*/.',
  'l*/',
  'l*',
  'dang*',
  'zz*',
  'd1//*',
  '[[:upper:]]*',
  'd?/../*',
  '*/up/*',
];

test('dash pathname expansion', () =>
  inTempDir('glob', (top) =>
    inTempDir('glob-patterns', async (patternDir) => {
      const rng = new Prng(SEED);
      // Three levels below the temporary directory: patterns go up at most three `..`, so every
      // match stays inside what this test made (a concurrent writer in /tmp cannot change it).
      const root = path.join(top, 'w', 'x', 'y', 'tree');
      mkdirSync(root, { recursive: true });
      const patternFile = path.join(patternDir, 'patterns');
      const cwd = process.cwd();
      try {
        makeTree(rng, root);
        const patterns = [...EDGE];
        while (patterns.length < EDGE.length + 500) patterns.push(pattern(rng, root));
        writeFileSync(patternFile, latin1(`${patterns.join('\n')}\n`));
        const out = dash(`while IFS= read -r p; do set -- $p; printf '%s\\0' "$@"; printf '\\1'; done < "$1"`, [patternFile], {
          cwd: root,
        });
        const got = records(out);
        assert.is(got.length, patterns.length);
        process.chdir(root);
        const differences: string[] = [];
        for (const [i, p] of patterns.entries()) {
          const expected = nulFields(got[i] as Buffer);
          const port = await globBytes(p);
          if (JSON.stringify(port) !== JSON.stringify(expected))
            differences.push(`${show(p)}: dash ${JSON.stringify(expected)}, port ${JSON.stringify(port)}`);
        }
        const matched = got.filter((r, i) => nulFields(r).join('\0') !== patterns[i]).length;
        reportFigures('dash pathname expansion', patterns.length, differences, `(${matched} of them expanded to matches)`);
        assert.equal(differences, []);
      } finally {
        process.chdir(cwd);
      }
    }),
  ));

test.run();
