// src/compat/coreutils-sleep.ts: coreutils 9.1 sleep's reading of its argument (recorded with
// the real sleep).
import { test } from 'uvu';
import { sleepSeconds } from '../../../src/compat/coreutils-sleep.ts';
import { allGive, isEach } from '../../support/table.ts';

test('sleep: one argument, an optional s/m/h/d suffix; options and NaN and negatives refused', () => {
  isEach(sleepSeconds, [
    ['3e-1', 0.3],
    ['+0.25', 0.25],
    [' 0.25', 0.25],
    ['0x0.4p0', 0.25],
    ['0.25s', 0.25],
    ['0.5m', 30],
    ['0.5h', 1800],
    ['0.5d', 43200],
    ['0x1d', 29], // hex digits, not a day
    [' -0', 0],
    ['1e-400', 0],
    ['1e400', Infinity],
    ['inf', Infinity],
    ['infinitys', Infinity],
    ['--', 0], // the end of sleep's options: it exits at once
  ] as const);
  isEach(
    sleepSeconds,
    allGive(
      [
        '',
        '0.2 ',
        '0.2x',
        '0.2ss',
        '0.2S',
        'nan',
        'nans',
        ' -1',
        '-0',
        '-1',
        '--help',
        '--he',
        '--version',
        '--1',
        '-',
        '.',
        '0x',
        '1e',
        's',
        '1 2',
        '0.2 s',
        'infinit',
        'constructor',
      ],
      undefined,
    ),
  );
});

test.run();
