import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLogLine, printfB, white } from '../../src/log.ts';
import { checkLogMessage } from '../../src/status.ts';

test('printf %b escapes', () => {
  assert.is(printfB('a\\tb\\nc'), 'a\tb\nc');
  assert.is(printfB('x\\cy', '\n'), 'x');
  assert.is(printfB('\\0101\\101', ''), 'AA');
  assert.is(printfB('a\\q', ''), 'a\\q');
  assert.is(printfB('a\\0b', '\n'), 'a\n');
});

test('status log line: URL escapes are interpreted like the originals', () => {
  const line = formatLogLine('info', checkLogMessage('http://h/a\\nb', { code: '000', time: '0' }));
  assert.is(line.toString('latin1'), '\x1b[32mhttp://h/a\nb -> 000\x1b[0m\n');
});

test('white highlights and resets to the level colour', () => {
  assert.is(formatLogLine('warn', `x ${white('y')} z`).toString('latin1'), '\x1b[33mx \x1b[37my\x1b[33m z\x1b[0m\n');
});

test.run();
