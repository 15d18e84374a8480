// QUORUM and VIEW_FILE in the environment contract: parsing, the start-up errors, --help.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EnvError, formatHelp, readProbeEnv, readWatcherEnv } from '../../../../src/env.ts';
import { startWatcher } from '../../../../src/watcher/startup.ts';

const BASE = { PEERS_DNS: 'peers.test', TG_TOKEN: 't', TG_CHAT_ID: '-1' };

test('QUORUM: a number of watchers or majority; unset or empty is off', () => {
  assert.equal(readWatcherEnv({ ...BASE, QUORUM: 'majority', VIEW_FILE: '/run/v.json' }).quorum, { kind: 'majority' });
  assert.equal(readWatcherEnv({ ...BASE, QUORUM: '3', VIEW_FILE: '/run/v.json' }).quorum, { kind: 'count', k: 3 });
  assert.equal(readWatcherEnv({ ...BASE, QUORUM: '', VIEW_FILE: '/run/v.json' }).quorum, null);
  assert.equal(readWatcherEnv({ ...BASE, VIEW_FILE: '/run/v.json' }), { ...readWatcherEnv(BASE), viewFile: '/run/v.json' });
  for (const bad of ['0', '-1', '2.5', 'Majority', 'half', ' 3', '1000000']) {
    try {
      readWatcherEnv({ ...BASE, QUORUM: bad, VIEW_FILE: '/v' });
      assert.unreachable(bad);
    } catch (err) {
      assert.instance(err, EnvError);
      assert.is((err as Error).message, `QUORUM must be a number of watchers (1 or more) or "majority", got ${JSON.stringify(bad)}`);
    }
  }
});

test('QUORUM without VIEW_FILE, or with SPAM=1: a start-up error naming them (exit 2, no round)', () => {
  const noFile = startWatcher({ ...BASE, QUORUM: 'majority', STATE_DIR: '/tmp', HOME: '/tmp' }, '/bin/watcher');
  assert.equal(noFile, {
    ok: false,
    status: 2,
    stderr: '/bin/watcher: QUORUM needs VIEW_FILE: the file this watcher writes its view to, served by its probe at /view\n',
  });
  const spam = startWatcher({ ...BASE, QUORUM: '2', VIEW_FILE: '/v', SPAM: '1', STATE_DIR: '/tmp', HOME: '/tmp' }, 'watcher');
  assert.equal(spam, { ok: false, status: 2, stderr: 'watcher: QUORUM cannot be used with SPAM=1\n' });
});

test('VIEW_FILE on the probe; both in --help', () => {
  assert.is(readProbeEnv({}).viewFile, null);
  assert.is(readProbeEnv({ VIEW_FILE: '/run/sentinella/view.json' }).viewFile, '/run/sentinella/view.json');
  assert.match(formatHelp('watcher', 'S.', 'watcher'), /\n {2}QUORUM {16}a number k, or majority: /);
  assert.match(formatHelp('watcher', 'S.', 'watcher'), /\n {2}VIEW_FILE {13}with QUORUM: /);
  assert.match(formatHelp('probe', 'S.', 'probe'), /\n {2}VIEW_FILE {12}file served at GET \/view /);
  assert.not.match(formatHelp('router', 'S.', 'router'), 'VIEW_FILE');
});

test.run();
