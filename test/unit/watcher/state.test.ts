import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readState, statePath, writeStateAtomic } from '../../src/watcher/state.ts';
import { prepareStateDir, startWatcher } from '../../src/watcher/startup.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-state-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('state path: <cksum>.state in STATE_DIR', () => {
  assert.is(statePath('/s', 'http://127.0.0.2:5988'), '/s/428259130.state');
});

test('write: exact bytes, no newline, no temp file left; read drops trailing newlines', () => {
  const file = path.join(tmp, 'a.state');
  writeStateAtomic(file, 'up:0/0:200');
  assert.is(fs.readFileSync(file, 'utf8'), 'up:0/0:200');
  assert.equal(fs.readdirSync(tmp), ['a.state']);
  fs.writeFileSync(file, 'down:0/0:000\n\n');
  assert.is(readState(file), 'down:0/0:000');
  assert.is(readState(path.join(tmp, 'missing.state')), '');
});

test('write into a missing directory throws and leaves nothing behind', () => {
  assert.throws(() => writeStateAtomic(path.join(tmp, 'gone', 'b.state'), 'x'));
  assert.not.ok(fs.existsSync(path.join(tmp, 'gone')));
});

test('STATE_DIR: created with parents; fallback $HOME/.local/<last component>', () => {
  const wanted = path.join(tmp, 'x', 'y', 'sentinella');
  assert.is(prepareStateDir(wanted, undefined), wanted);
  assert.ok(fs.statSync(wanted).isDirectory());
  const blocker = path.join(tmp, 'file');
  fs.writeFileSync(blocker, '');
  const home = path.join(tmp, 'home');
  assert.is(prepareStateDir(path.join(blocker, 'state'), home), path.join(home, '.local', 'state'));
  assert.throws(() => prepareStateDir(path.join(blocker, 'state'), blocker));
  try {
    prepareStateDir(path.join(blocker, 'state'), blocker, '/x/watcher');
  } catch (err) {
    // mkdir's own line, as the originals print it (quotes depend on the locale)
    assert.match((err as Error).message, /^mkdir: cannot create directory .*file.*: Not a directory\n$/);
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

test.run();
