// `npm run demo` (scripts/demo.mjs) end to end: it must show the alerts a newcomer is promised
// (OK for every peer, FAIL then OK for node2 from node1 and node3), narrate, clean up and end
// by itself with status 0. Arrival order between watchers varies, so alerts are compared per
// chat.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('the demo shows FAIL: then OK  : for the stopped node, and ends by itself', async () => {
  const child = spawn(process.execPath, [path.join(root, 'scripts/demo.mjs')], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  assert.is(code, 0, out);

  const alerts = (chat: string) =>
    [...out.matchAll(/^telegram {2}to chat (node\d): (.*)$/gm)].filter((m) => m[1] === chat).map((m) => m[2]);
  const url = (n: number) => `http://192.0.2.${n}:5988`;
  assert.equal(alerts('node1'), [`OK  : ${url(2)} [1/1]`, `OK  : ${url(3)} [1/1]`, `FAIL: ${url(2)} [0/0]`, `OK  : ${url(2)} [1/1]`]);
  assert.equal(alerts('node2'), [`OK  : ${url(1)} [1/1]`, `OK  : ${url(3)} [1/1]`]);
  assert.equal(alerts('node3'), [`OK  : ${url(1)} [1/1]`, `OK  : ${url(2)} [1/1]`, `FAIL: ${url(2)} [0/0]`, `OK  : ${url(2)} [1/1]`]);
  // It narrates, and it cleans up.
  assert.match(out, /demo {2}stopping node2's probe/);
  assert.match(out, /demo {2}starting node2's probe again/);
  assert.not.match(out, /carrying on/, 'every phase saw the alerts it waited for');
  assert.match(out, /demo {2}cleaning up/);
  assert.match(out, /demo {2}done\n$/);
  assert.not.match(out, /\x1b\[/, 'NO_COLOR: no colour codes');
});

test.run();
