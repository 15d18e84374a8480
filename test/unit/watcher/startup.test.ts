// The watcher's start-up (src/watcher/startup.ts): the state directory and its fallback, the
// required variables, the numbers (docs/behaviour.md §6.1-2), SELF's words as the watcher reads them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dropLocal, parseGetentHosts } from '../../../src/watcher/discovery/resolve.ts';
import { selfWords } from '../../../src/env.ts';
import { prepareStateDir, startWatcher } from '../../../src/watcher/startup.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-startup-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('STATE_DIR: created with parents; fallback $HOME/.local/<last component>', () => {
  const wanted = path.join(tmp, 'x', 'y', 'sentinella');
  assert.equal(prepareStateDir(wanted, undefined), { ok: true, dir: wanted });
  assert.ok(fs.statSync(wanted).isDirectory());
  const blocker = path.join(tmp, 'file');
  fs.writeFileSync(blocker, '');
  const home = path.join(tmp, 'home');
  assert.equal(prepareStateDir(path.join(blocker, 'state'), home), { ok: true, dir: path.join(home, '.local', 'state') });
  assert.is(prepareStateDir(path.join(blocker, 'state'), blocker).ok, false);
  const failed = prepareStateDir(path.join(blocker, 'state'), blocker, '/x/watcher');
  if (!failed.ok) {
    // mkdir's own line, as the originals print it (quotes depend on the locale)
    assert.match(failed.stderr, /^mkdir: cannot create directory .*file.*: Not a directory\n$/);
  }
  assert.equal(startWatcher({ STATE_DIR: path.join(blocker, 's') }, '/x/watcher'), {
    ok: false,
    status: 2,
    stderr: '/x/watcher: HOME: parameter not set\n',
  });
});

test('start-up: required variables in order, exit 3, after the state directory', () => {
  const dir = path.join(tmp, 'startup');
  const r = startWatcher({ STATE_DIR: dir, TG_TOKEN: 't' }, '/bin/watcher');
  assert.equal(r, { ok: false, status: 3, stderr: 'PEERS_DNS not set\n' });
  assert.ok(fs.existsSync(dir));
  const base = { STATE_DIR: dir, PEERS_DNS: 'p', TG_TOKEN: '', TG_CHAT_ID: 'c' };
  assert.equal(startWatcher(base, 'w'), { ok: false, status: 3, stderr: 'TG_TOKEN not set\n' });
  assert.equal(startWatcher({ ...base, TG_TOKEN: 't', TG_CHAT_ID: '' }, 'w'), { ok: false, status: 3, stderr: 'TG_CHAT_ID not set\n' });
});

test('start-up D14: a bad number names the variable', () => {
  const base = { STATE_DIR: path.join(tmp, 's2'), PEERS_DNS: 'p', TG_TOKEN: 't', TG_CHAT_ID: 'c' };
  for (const name of ['TIMEOUT', 'POLLING_INTERVAL_SEC', 'PEERS_PORT']) {
    const r = startWatcher({ ...base, [name]: 'abc' }, '/x/watcher');
    assert.is(r.ok, false);
    if (!r.ok) {
      assert.is(r.status, 2);
      assert.ok(r.stderr.startsWith(`/x/watcher: ${name} must be `), r.stderr);
    }
  }
  const ok = startWatcher({ ...base, POLLING_INTERVAL_SEC: '03' }, 'w');
  assert.ok(ok.ok && ok.config.pollingIntervalText === '03' && ok.config.pollingIntervalSec === 3);
});

test('SELF words: spaces only separate them (§6.4); getent lines: awk $1 skips leading blanks', () => {
  assert.equal(selfWords('  127.0.0.2\t127.0.0.3 127.0.0.1\n '), ['127.0.0.2\t127.0.0.3', '127.0.0.1\n']);
  assert.equal(dropLocal(['127.0.0.1', '127.0.0.2', '127.0.0.3'], selfWords('127.0.0.1\t127.0.0.2 127.0.0.3')), ['127.0.0.1', '127.0.0.2']);
  assert.equal(parseGetentHosts(' 10.0.0.1  a\n\t10.0.0.2\tb\n'), ['10.0.0.1', '10.0.0.2']);
});

test.run();
