import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdirParents, readState, readStateBytes, stateFileName, statePath, writeFileAtomic } from '../../../src/watcher/state.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-state-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('state path: <cksum>.state in STATE_DIR', () => {
  assert.is(statePath('/s', 'http://127.0.0.2:5988'), '/s/428259130.state');
});

test('write: exact bytes, no newline, no temp file left; read drops trailing newlines', () => {
  const file = path.join(tmp, 'a.state');
  writeFileAtomic(file, 'up:0/0:200');
  assert.is(fs.readFileSync(file, 'utf8'), 'up:0/0:200');
  assert.equal(fs.readdirSync(tmp), ['a.state']);
  fs.writeFileSync(file, 'down:0/0:000\n\n');
  assert.is(readState(file), 'down:0/0:000');
  assert.is(readState(path.join(tmp, 'missing.state')), '');
});

test('read: `$(cat file)` drops NUL bytes, then trailing newlines; CR and high bytes stay (§6 d, §9)', () => {
  const file = path.join(tmp, 'nul.state');
  fs.writeFileSync(file, Buffer.from('up:0/0:200\0\n\0', 'latin1'));
  assert.is(readState(file), 'up:0/0:200');
  fs.writeFileSync(file, Buffer.from('do\0wn:0/0:000\r\n', 'latin1'));
  assert.is(readState(file), 'down:0/0:000\r');
  // A NUL inside a UTF-8 sequence: dropped first, the sequence stays whole.
  fs.writeFileSync(file, Buffer.from('\xc3\0\xa9\xff\n', 'latin1'));
  assert.equal(readStateBytes(file), Buffer.from('\xc3\xa9\xff', 'latin1'));
  assert.is(readState(file), 'é\udcff'); // 0xFF kept as its byte (src/bytes.ts)
  assert.equal(readStateBytes(tmp), Buffer.alloc(0)); // a directory: cat fails, `|| last=`
});

test('write into a missing directory throws and leaves nothing behind', () => {
  assert.throws(() => writeFileAtomic(path.join(tmp, 'gone', 'b.state'), 'x'));
  assert.not.ok(fs.existsSync(path.join(tmp, 'gone')));
});

test('bytes that are not UTF-8: cksum of the URL bytes, and STATE_DIR named with them (src/bytes.ts)', () => {
  // printf 'http\344://127.0.0.2:5988' | cksum
  assert.is(stateFileName('http\udce4://127.0.0.2:5988'), '2051572874.state');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'state-bytes-'));
  try {
    const dir = `${root}/st\udce4te`;
    mkdirParents(dir);
    const file = statePath(dir, 'http\udce4://x');
    writeFileAtomic(file, 'down:0/0:000');
    assert.equal(fs.readdirSync(root, { encoding: 'buffer' }), [Buffer.from('st\xe4te', 'latin1')]);
    assert.is(readState(file), 'down:0/0:000');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
