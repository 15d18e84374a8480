// D13: what the port does where the originals die. A state directory removed while running
// is created again; one that cannot be written is reported once, the state kept in memory (no
// alert repeated every round) and written when possible again. INT, HUP and TERM (even in
// the middle of a round) end the watcher with status 0, leaving no temporary file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface StateDirResult {
  stop: string;
  stderr: string;
  observed: Record<string, Record<string, string>>;
  states: Record<string, string>;
  telegram: string[];
}

test('state directory removed, then unwritable, then back', async () => {
  const r = await runScenario<StateDirResult>('state-dir', 90000);
  const file = '428259130.state';
  assert.equal(r.observed['1'], { [file]: 'up:0/0:200' });
  assert.equal(r.observed['2'], { [file]: 'down:0/1:200' }, 'removed directory created again, state written');
  assert.match(r.stderr, /state directory \S+ was missing: created it again\n/);
  assert.match(r.stderr, /cannot write state file \S+428259130\.state: Not a directory; keeping the state in memory\n/);
  assert.equal(r.observed['5'], { [file]: 'up:0/0:200' }, 'the state kept in memory is written once the directory is back');
  assert.equal(r.states, { [file]: 'down:0/1:200' });
  // up, down, up (unwritable: sent once, not again in round 4 or 5), down
  assert.is(r.telegram.length, 4, `alerts: ${r.telegram.join(' | ')}`);
  assert.not.match(r.stderr, 'tmpb');
  assert.is(r.stop, 'exit 0');
  console.log(`    state-dir: ${Object.keys(r.observed).length} rounds observed, ${r.telegram.length} alerts, no repeat while unwritable`);
});

interface SignalsResult {
  out: Record<string, { status: string; stopMs: number; stderrTail: string }>;
  leftovers: string[];
}

test('INT, HUP, TERM in the middle of a round: exit 0, nothing left behind', async () => {
  const r = await runScenario<SignalsResult>('signals', 90000);
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM']) {
    assert.is(r.out[signal]?.status, 'exit 0', signal);
    assert.not.match(r.out[signal]?.stderrTail ?? '', 'parameter not set');
  }
  assert.equal(r.leftovers, []);
  console.log(
    `    signals: stopped in ${Object.entries(r.out)
      .map(([s, o]) => `${s} ${o.stopMs} ms`)
      .join(', ')} (peer still hanging, TIMEOUT=5)`,
  );
});

test.run();
