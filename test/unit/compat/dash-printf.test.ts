import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { printfBLines } from '../../../src/compat/dash-printf.ts';

test('printf %b escapes', () => {
  assert.is(printfBLines(['a\\tb\\nc']), 'a\tb\nc\n');
  assert.is(printfBLines(['x\\cy']), 'x');
  assert.is(printfBLines(['\\0101\\101']), 'AA\n');
  assert.is(printfBLines(['a\\q']), 'a\\q\n');
  // dash 0.5.12: `\0` without an octal digit after it is a NUL byte, and the line goes on;
  // `\e` is ESC; `\x41` and `\u00e9` stay (docs/behaviour.md §2).
  assert.is(printfBLines(['a\\0b']), 'a\0b\n');
  assert.is(printfBLines(['\\e[0m\\x41\\u00e9']), '\x1b[0m\\x41\\u00e9\n');
});

test.run();
