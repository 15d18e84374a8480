import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLogLine, white } from '../../src/log.ts';

test('extra arguments reuse %b, one line each; \\c ends all output', () => {
  assert.is(formatLogLine('info', 'm', ['x\\ty', 'z']).toString('latin1'), '\x1b[32mm\x1b[0m\nx\ty\nz\n');
  assert.is(formatLogLine('info', 'm', ['a\\cb', 'never']).toString('latin1'), '\x1b[32mm\x1b[0m\na');
  assert.is(formatLogLine('info', 'm\\c', ['never']).toString('latin1'), '\x1b[32mm');
});

test('white highlights and resets to the level colour', () => {
  assert.is(formatLogLine('warn', `x ${white('y')} z`).toString('latin1'), '\x1b[33mx \x1b[37my\x1b[33m z\x1b[0m\n');
});

test('a message holding a byte that is not UTF-8 writes that byte (src/bytes.ts)', () => {
  assert.equal(formatLogLine('info', `via ${white('p\udce4')}`), Buffer.from('\x1b[32mvia \x1b[37mp\xe4\x1b[32m\x1b[0m\n', 'latin1'));
});

test.run();
