// src/compat/dash-substitution.ts: what dash's `$(...)` keeps of a command's output (recorded
// with dash 0.5.12; test/differential/dash-substitution.test.ts compares hundreds of generated
// outputs with it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandSubstitution } from '../../../src/compat/dash-substitution.ts';

test('commandSubstitution: NUL bytes dropped, then trailing newlines removed', () => {
  assert.is(commandSubstitution('a\0b\n\0\n'), 'ab');
  assert.is(commandSubstitution('\n\n'), '');
  assert.is(commandSubstitution('\0'), '');
  assert.is(commandSubstitution('a\n\nb\n'), 'a\n\nb');
  assert.is(commandSubstitution('x\r\n\r\n'), 'x\r\n\r');
  assert.is(commandSubstitution('\x81\x88\xff é'), '\x81\x88\xff é');
});

test.run();
