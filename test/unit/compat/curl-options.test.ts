// src/compat/curl-options.ts: curl 7.88.1's reading of `-m` (recorded from the real curl).
import { test } from 'uvu';
import { curlMaxTime } from '../../../src/compat/curl-options.ts';
import { equalEach } from '../../support/table.ts';

test('TIMEOUT as curl -m reads it: whole milliseconds, 0 for no limit (recorded from curl 7.88.1)', () => {
  equalEach(
    curlMaxTime,
    [
      [' 2', 2000],
      ['\t\n2e0', 2000],
      ['1e1', 10_000],
      ['0x1p1', 2000],
      ['+0x2', 2000],
      ['0X.8', 500],
      ['+.5', 500],
      ['2.', 2000],
      ['0.0019', 1],
      ['0.0005', 0],
      ['-0', 0],
      ['0e999999', 0],
      ['nan', 0],
      ['-nan(x_1)', 0],
      ['0x1p-1074', 0],
      ['9e15', 9e18],
    ] as const,
    (ms) => ({ ok: true, ms }),
  );
  equalEach(
    curlMaxTime,
    [
      ['2 ', 'expected a proper numerical parameter'],
      ['abc', 'expected a proper numerical parameter'],
      ['', 'expected a proper numerical parameter'],
      ['.', 'expected a proper numerical parameter'],
      ['e5', 'expected a proper numerical parameter'],
      ['0x', 'expected a proper numerical parameter'],
      ['1,5', 'expected a proper numerical parameter'],
      ['nanx', 'expected a proper numerical parameter'],
      ['-1x', 'expected a proper numerical parameter'],
      ['-1', 'expected a positive numerical parameter'],
      ['-inf', 'expected a positive numerical parameter'],
      ['1e16', 'too large number'],
      ['inf', 'too large number'],
      ['infinit', 'too large number'],
      ['1e400x', 'too large number'],
      ['1e-400', 'too large number'],
      ['-1e-310', 'too large number'],
    ] as const,
    (complaint) => ({ ok: false, complaint }),
  );
});

test.run();
