import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globWord, patternMatches } from '../../src/glob.ts';

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

test.run();
