// src/compat/curl-errors.ts: the failures curl 7.88.1 reports (recorded from the real curl).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { curlErrorLine, greetingClosedFailure } from '../../../src/compat/curl-errors.ts';

test('greetingClosedFailure: the stale errno curl shows when the server closes before greeting', () => {
  assert.is(curlErrorLine(greetingClosedFailure(0)), 'curl: (56) response reading failed (errno: 115)');
  assert.is(curlErrorLine(greetingClosedFailure(17)), 'curl: (56) response reading failed (errno: 11)');
});

test.run();
