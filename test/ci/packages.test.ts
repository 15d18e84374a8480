// The Debian packages the tests need are listed once, in .ci/packages (.ci/run installs them);
// the README shows the same list as an apt-get line. This keeps the two equal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The package names of .ci/packages: one a line, `#` comments and blank lines left out. */
export function listedPackages(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

test('.ci/packages: comments and blank lines are not packages', () => {
  assert.equal(listedPackages('# c\ndash\n\n  jq  # json\n'), ['dash', 'jq']);
});

test('README lists exactly the packages .ci/run installs', () => {
  const line = read('README.md')
    .split('\n')
    .find((l) => l.startsWith('apt-get install '));
  assert.ok(line, 'README has an `apt-get install` line');
  assert.equal(line.slice('apt-get install '.length).trim().split(/\s+/), listedPackages(read('.ci/packages')));
});

test('.ci/run installs from .ci/packages and lints before the tests', () => {
  const run = read('.ci/run');
  assert.match(run, /\.ci\/packages/);
  assert.ok(run.indexOf('npm run lint') > 0 && run.indexOf('npm run lint') < run.lastIndexOf('npm test'));
});

test.run();
