// Silences end to end (silence-scenario.ts, docs/behaviour.md §10 "Silences"): a real watcher and
// the real commands as separate processes. A peer that goes down while silenced sends nothing
// to Telegram nor to the webhook beside it, and its state file keeps the announced state;
// `unsilence` lets exactly one FAIL through to each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenario } from './sandbox.ts';

interface Command {
  args: string;
  status: number;
  stdout: string;
  stderr: string;
}

interface Result {
  startup: string[];
  startupPosts: string[];
  commands: Command[];
  whileSilenced: { messages: string[]; posts: string[]; states: string[] };
  after: { messages: string[]; posts: string[]; states: string[] };
  files: string[];
  stderr: string;
}

const UNTIL = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/.source;

test('a peer down while silenced: no Telegram message, no webhook post; unsilence: exactly one FAIL to each', async () => {
  const r = await runScenario<Result>('silence', 90_000, 'silence-scenario.ts');
  const ok = ['OK  : http://127.0.0.2:5988 [1/1]', 'OK  : http://127.0.0.3:5988 [1/1]'];
  assert.equal([r.startup.sort(), r.startupPosts.sort()], [ok, ok]);

  const [silence, list, unsilence, listAfter] = r.commands as [Command, Command, Command, Command];
  assert.equal([silence.status, silence.stderr], [0, '']);
  assert.match(silence.stdout, new RegExp(`^127\\.0\\.0\\.3 silenced until ${UNTIL} \\(kernel upgrade\\)\\n$`));
  assert.equal([list.status, list.stderr], [0, '']);
  assert.match(list.stdout, new RegExp(`^127\\.0\\.0\\.3  until ${UNTIL} \\((59m\\d+s|1h) left\\)  kernel upgrade\\n$`));
  assert.equal(unsilence, { args: 'unsilence 127.0.0.3', status: 0, stdout: '127.0.0.3 unsilenced\n', stderr: '' });
  assert.equal(listAfter, { args: 'silences', status: 0, stdout: 'no silences\n', stderr: '' });

  assert.equal(r.whileSilenced, { messages: [], posts: [], states: ['up:1/1:200', 'up:1/1:200'] });
  const fail = 'FAIL: http://127.0.0.3:5988 [0/1] \u2014 http://svc.test/health(500)';
  assert.equal([r.after.messages, r.after.posts], [[fail], [fail]]);
  assert.equal(r.after.states.sort(), ['down:0/1:200', 'up:1/1:200']);
  assert.ok(r.files.includes('silences.json'));

  const stderr = r.stderr.replace(/\x1b\[[0-9;]*m/g, ''); // the originals' colours, always on
  const lines = stderr.split('\n');
  assert.is(lines.filter((l) => /^silence of 127\.0\.0\.3 until .*: kernel upgrade$/.test(l)).length, 1, stderr);
  assert.equal(
    lines.filter((l) => l.startsWith('silenced until')),
    [lines.find((l) => l.startsWith('silenced until')) as string],
    'one line for the held change, not one per round',
  );
  assert.match(stderr, new RegExp(`silenced until ${UNTIL} \\(kernel upgrade\\): FAIL: http://127\\.0\\.0\\.3:5988 \\[0/1\\]`));
  assert.is(lines.filter((l) => l === 'silence of 127.0.0.3 lifted').length, 1);
});

test.run();
