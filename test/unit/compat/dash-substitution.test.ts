// src/compat/dash-substitution.ts: what dash's `$(...)` keeps of a command's output (recorded
// with dash 0.5.12; test/differential/dash-substitution.test.ts compares hundreds of generated
// outputs with it).
import { test } from 'uvu';
import { commandSubstitution } from '../../../src/compat/dash-substitution.ts';
import { isEach } from '../../support/table.ts';

test('commandSubstitution: NUL bytes dropped, then trailing newlines removed', () => {
  isEach(commandSubstitution, [
    ['a\0b\n\0\n', 'ab'],
    ['\n\n', ''],
    ['\0', ''],
    ['a\n\nb\n', 'a\n\nb'],
    ['x\r\n\r\n', 'x\r\n\r'],
    ['\x81\x88\xff é', '\x81\x88\xff é'],
  ]);
});

test.run();
