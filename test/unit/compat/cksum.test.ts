// src/compat/cksum.ts: POSIX cksum's first field.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cksum } from '../../../src/compat/cksum.ts';
import { stateFileName } from '../../../src/watcher/state.ts';

test('cksum: the contract values (POSIX CRC, length appended)', () => {
  assert.is(cksum('http://127.0.0.1:5988'), 3363770121);
  assert.is(cksum('http://127.0.0.2:5988'), 428259130);
  assert.is(stateFileName('http://127.0.0.1:5988'), '3363770121.state');
  assert.is(cksum(''), 4294967295); // `printf '' | cksum`
  assert.is(cksum('a'.repeat(300)), 1664553091); // length over one byte
});

test.run();
