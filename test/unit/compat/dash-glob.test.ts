import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globWord, globWords, patternMatches, type GlobFs } from '../../../src/compat/dash-glob.ts';

test('glob patterns', () => {
  assert.ok(patternMatches('proc', 'proc'));
  assert.ok(patternMatches('pro*', 'proc'));
  assert.ok(patternMatches('p?oc', 'proc'));
  assert.ok(patternMatches('[a-p]roc', 'proc'));
  assert.not.ok(patternMatches('[!p]roc', 'proc'));
  assert.ok(patternMatches('[^p]roc', 'proc')); // `^` is an ordinary member in dash
  assert.not.ok(patternMatches('[^x]roc', 'proc'));
});

test('glob expansion: /pro* is /proc, no match stays literal', async () => {
  assert.equal(await globWord('/pro*'), ['/proc']);
  assert.equal(await globWord('/nonexistent*'), ['/nonexistent*']);
  assert.equal(await globWord('/usr'), ['/usr']);
});

test('globWord: a word and names that are not UTF-8 match byte by byte (src/bytes.ts)', async () => {
  const names = ['\xe4', '\xe4\xe4', '\xc3\xa4', 'b']; // latin1 strings: one char per byte
  const fs = { list: async (dir: string) => (dir === '/d/' || dir === '/d' ? names : null), exists: async () => true };
  assert.equal(await globWord('/d/\udce4*', fs), ['/d/\udce4', '/d/\udce4\udce4']);
  assert.equal(await globWord('/d/?', fs), ['/d/b', '/d/\udce4']);
  assert.equal(await globWord('/d/*', fs), ['/d/b', '/d/ä', '/d/\udce4', '/d/\udce4\udce4']);
});

test('globWords: each word in place, its matches in bytewise order; relative words read the cwd', async () => {
  const listed: string[] = [];
  const fs: GlobFs = {
    list: async (dir) => {
      listed.push(dir);
      return dir === '.' ? ['127.0.0.3:80', '127.0.0.2:80', 'other'] : null;
    },
    exists: async () => true,
  };
  assert.equal(await globWords(['x', '127.0.0.[23]:80', 'http://h/a?b', 'nomatch*'], fs), [
    'x',
    '127.0.0.2:80',
    '127.0.0.3:80',
    'http://h/a?b',
    'nomatch*',
  ]);
  // A word without `*?[` never touches the file system; `http://h/a?b` lists `http://h/`.
  assert.equal(listed, ['.', 'http://h/', '.']);
  assert.equal(await globWords([], fs), []);
});

test.run();
