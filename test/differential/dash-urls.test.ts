// Differential test: the router's `for url in $URLS` (docs/behaviour.md §4.7, §9): dash splits the
// unquoted URLS on IFS (space, tab, newline) and expands every word holding `*`, `?` or `[`
// against the files of its working directory, relative words included; a word matching nothing
// stays as written. The port: URLS read by src/env.ts, a /status request answered by
// src/exchange.ts, and the URLs it hands to the checks compared with dash's words. Generated URLS values, run
// by one dash process in a generated tree of URL-like names (hosts with ports, a `http:`
// directory so `http://h/...` words can match, names with braces and brackets).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRouterEnv } from '../../src/env.ts';
import { answer } from '../../src/exchange.ts';
import { parseRequestHead } from '../../src/http/request.ts';
import { testIfInstalled } from '../support/installed.ts';
import { Prng } from '../support/prng.ts';
import { inTempDir } from '../support/temp.ts';
import { dash, latin1, nulFields, records, reportFigures, SEED, show, writeInputs } from './support.ts';

const GENERATED = 400;

// Entries (relative to the tree's root, `/` separated); a trailing `/` makes a directory.
const TREE = [
  '127.0.0.1:80',
  '127.0.0.2:8080',
  '127.0.0.3:8080',
  'h',
  'h2/',
  'h2/a',
  '.hidden',
  'a?b',
  'x[1]',
  '{a,b}',
  'é',
  'http:/',
  'http:/h/',
  'http:/h/a1',
  'http:/h/a2',
  'http:/h/b',
  'http:/h/{x}',
  'http:/h/[1-2]',
  'http:/h/.dot',
  'https:/',
  'https:/h/',
  'https:/h/status',
];

function makeTree(rng: Prng, root: string): void {
  for (const entry of TREE) {
    // Most entries always exist; a few come and go with the seed.
    if (!entry.startsWith('http') && entry.includes('.') && rng.next() < 0.15) continue;
    const at = path.join(root, entry);
    if (entry.endsWith('/')) mkdirSync(at, { recursive: true });
    else writeFileSync(at, '');
  }
}

const SCHEMES = ['', '', 'http://', 'http://', 'https://', 'HTTP://', 'http:/'];
const HOSTS = [
  'h',
  '127.0.0.1:80',
  '127.0.0.[12]:80*',
  '127.0.0.?:8080',
  '*',
  '?',
  'h?',
  '[!x]',
  '.*',
  'é',
  '[[:digit:]]*',
  'h\\*',
  'x\\[1]',
];
const PATHS = [
  '',
  '/',
  '/a*',
  '/[ab]*',
  '/?',
  '/*',
  '/.*',
  '/x?q=1',
  '/status?x',
  '/{x}',
  '/{*',
  '/[1-2]',
  '/\\[1-2]',
  '/\\*',
  '/a[12]',
  '/*/',
  '/é?',
];
const SEPARATORS = [' ', ' ', '  ', '\t', '\n', ' \t\n '];

function urlsValue(rng: Prng): string {
  const words: string[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) {
    words.push(
      rng.next() < 0.15 ? rng.pick(['*', '?*', '1*', 'h*', '{*', '[.]*', 'x[1]']) : rng.pick(SCHEMES) + rng.pick(HOSTS) + rng.pick(PATHS),
    );
  }
  let text = rng.pick(['', ' ', '\n']);
  for (const [i, word] of words.entries()) text += (i > 0 ? rng.pick(SEPARATORS) : '') + word;
  return text + rng.pick(['', ' ', '\t']);
}

// The golden cases' shapes and a few edges.
const EDGE = [
  '127.0.0.[2-3]:8080 http://127.0.0.2:8080/none* http://127.0.0.2:8080/q?x=1',
  'http://h/a* http://h/[1-2] http://h/{x}',
  '*',
  '.*',
  'http://h/.* http://h/*/',
  '  \t\n ',
  'h2/* h2/?',
  'x[1] x\\[1] {a,b} {*',
];

/** The URLs the port checks for one GET /status with these URLS words. */
async function checkedUrls(words: readonly string[]): Promise<string[]> {
  let checked: string[] = [];
  await answer(parseRequestHead('GET /status HTTP/1.1\r\n\r\n'), {
    urls: words,
    auth: async () => ({ kind: 'open' }),
    checks: async (urls) => {
      checked = [...urls];
      return urls.map(() => ({ code: '200', time: '0.000001' }));
    },
    disk: async () => ({ rows: [], errors: [] }),
    stderr: () => {},
    authUnavailable: () => {},
  });
  return checked;
}

testIfInstalled(['dash'])('dash: `for url in $URLS` split and pathname expansion from the cwd', async () => {
  const rng = new Prng(SEED);
  await inTempDir('urls', (top) =>
    inTempDir('urls-inputs', async (inputDir) => {
      const root = path.join(top, 'tree');
      mkdirSync(root);
      const cwd = process.cwd();
      try {
        makeTree(rng, root);
        const values = [...EDGE];
        while (values.length < EDGE.length + GENERATED) values.push(urlsValue(rng));
        const files = writeInputs(
          inputDir,
          values.map((v) => Buffer.from(v, 'utf8')),
        );
        // URLS taken from each file exactly (the trailing newlines `$(...)` removes are IFS anyway).
        const out = dash(`for f; do URLS=$(cat "$f"); for url in $URLS; do printf '%s\\0' "$url"; done; printf '\\1'; done`, files, {
          cwd: root,
        });
        const got = records(out);
        assert.is(got.length, values.length);
        process.chdir(root);
        const differences: string[] = [];
        let expanded = 0;
        for (const [i, value] of values.entries()) {
          const expected = nulFields(got[i] as Buffer).map((word) => latin1(word).toString('utf8'));
          const words = readRouterEnv({ URLS: value }).urls;
          const port = await checkedUrls(words);
          if (JSON.stringify(port) !== JSON.stringify(expected))
            differences.push(`${show(value)}: dash ${JSON.stringify(expected)}, port ${JSON.stringify(port)}`);
          if (JSON.stringify(expected) !== JSON.stringify(words)) expanded += 1;
        }
        reportFigures('dash URLS words', values.length, differences, `(${expanded} of them changed by the expansion)`);
        assert.equal(differences, []);
        // The inputs must exercise the expansion, not only the splitting.
        assert.ok(expanded > values.length / 10, `only ${expanded} inputs expanded`);
      } finally {
        process.chdir(cwd);
      }
    }),
  );
});

test.run();
