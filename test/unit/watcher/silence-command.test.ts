// `watcher silence|unsilence|silences` (src/watcher/silence-command.ts, docs/behaviour.md §10
// "Silences", D19): what each prints, its exit status, and the file it leaves in STATE_DIR (with
// start-up's fallback). Host names go through a stand-in resolver here; the real-process test
// (test/watcher/silence.test.ts) resolves one with getent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSilenceCommand, listSilences, runSilenceCommand, type CommandIo } from '../../../src/watcher/silence-command.ts';
import { renderSilences, type Silence } from '../../../src/watcher/silences.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'watcher-silence-command-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T = Date.UTC(2026, 11, 5, 12, 0, 0); // 2026-12-05T12:00:00Z
let dirs = 0;

/** A fresh STATE_DIR and a way to run commands in it at `now`. */
function sandbox(names: Record<string, string[]> = {}) {
  const stateDir = path.join(tmp, `s${dirs++}`, 'sentinella');
  const clock = { now: T };
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CommandIo = {
      stdout: (text) => (out += text),
      stderr: (text) => (err += String(text)),
      now: () => clock.now,
      resolve: async (name) => {
        if (name === 'slow.test') throw new Error('getent hosts slow.test did not answer within 10s');
        return names[name] ?? [];
      },
    };
    const status = await runSilenceCommand(argv, { STATE_DIR: stateDir, HOME: path.join(tmp, 'home') }, io);
    return { status, out, err };
  };
  const file = () => fs.readFileSync(path.join(stateDir, 'silences.json'), 'utf8');
  return { stateDir, clock, run, file };
}

test('the command words; anything else is not one (D19: ignored, the watcher runs)', () => {
  assert.equal(['silence', 'unsilence', 'silences'].map(isSilenceCommand), [true, true, true]);
  assert.equal(['Silence', 'silenced', 'run', '-h', '', undefined].map(isSilenceCommand), [false, false, false, false, false, false]);
});

test('silence, silences, unsilence: the file, the lines, status 0', async () => {
  const s = sandbox();
  assert.equal(await s.run('silences'), { status: 0, out: 'no silences\n', err: '' });
  assert.equal(await s.run('silence', '10.0.0.3', '2h', 'kernel', 'upgrade'), {
    status: 0,
    out: '10.0.0.3 silenced until 2026-12-05T14:00:00Z (kernel upgrade)\n',
    err: '',
  });
  assert.equal(await s.run('silence', 'http://[fd00::4]:5988', '90s'), {
    status: 0,
    out: 'fd00::4 silenced until 2026-12-05T12:01:30Z\n',
    err: '',
  });
  assert.is(
    s.file(),
    '{"sentinella_silences":1,"silences":{"10.0.0.3":{"until":1796479200,"reason":"kernel upgrade"},"fd00::4":{"until":1796472090,"reason":""}}}\n',
  );
  assert.equal(fs.readdirSync(s.stateDir), ['silences.json'], 'no temp file left, no .state file');
  s.clock.now = T + 60_000;
  assert.equal(await s.run('silences'), {
    status: 0,
    out: '10.0.0.3  until 2026-12-05T14:00:00Z (1h59m left)  kernel upgrade\nfd00::4   until 2026-12-05T12:01:30Z (30s left)\n',
    err: '',
  });
  assert.equal(await s.run('unsilence', '10.0.0.3'), { status: 0, out: '10.0.0.3 unsilenced\n', err: '' });
  assert.equal(await s.run('unsilence', '10.0.0.3'), { status: 1, out: '', err: 'unsilence: 10.0.0.3 is not silenced\n' });
  // Past its end a silence is gone: not listed, dropped at the next write.
  s.clock.now = T + 91_000;
  assert.equal(await s.run('silences'), { status: 0, out: 'no silences\n', err: '' });
  assert.equal(await s.run('unsilence', 'fd00::4'), { status: 1, out: '', err: 'unsilence: fd00::4 is not silenced\n' });
  await s.run('silence', '10.0.0.5', '1d');
  assert.is(s.file(), '{"sentinella_silences":1,"silences":{"10.0.0.5":{"until":1796558491,"reason":""}}}\n');
});

test('silence again: the new end replaces the old one (longer or shorter)', async () => {
  const s = sandbox();
  await s.run('silence', '10.0.0.3', '1d', 'a');
  assert.equal(await s.run('silence', '10.0.0.3', '30m'), { status: 0, out: '10.0.0.3 silenced until 2026-12-05T12:30:00Z\n', err: '' });
  assert.equal((await s.run('silences')).out, '10.0.0.3  until 2026-12-05T12:30:00Z (30m left)\n');
});

test('a host name: every address it resolves to; none: status 1', async () => {
  const s = sandbox({ 'node3.test': ['10.0.0.3', 'fd00::3', '10.0.0.3'] });
  assert.equal(await s.run('silence', 'node3.test', '30m', 'disk'), {
    status: 0,
    out: '10.0.0.3 silenced until 2026-12-05T12:30:00Z (disk)\nfd00::3 silenced until 2026-12-05T12:30:00Z (disk)\n',
    err: '',
  });
  assert.equal(await s.run('unsilence', 'http://node3.test:5988'), {
    status: 0,
    out: '10.0.0.3 unsilenced\nfd00::3 unsilenced\n',
    err: '',
  });
  assert.equal(await s.run('unsilence', 'node3.test'), { status: 1, out: '', err: 'unsilence: 10.0.0.3 fd00::3 are not silenced\n' });
  assert.equal(await s.run('silence', 'gone.test', '1h'), { status: 1, out: '', err: 'silence: cannot resolve gone.test: no address\n' });
  assert.equal(await s.run('silence', 'slow.test', '1h'), {
    status: 1,
    out: '',
    err: 'silence: cannot resolve slow.test: getent hosts slow.test did not answer within 10s\n',
  });
});

test('bad usage: status 2, one line saying what is wrong, the file untouched', async () => {
  const s = sandbox();
  await s.run('silence', '10.0.0.3', '1h');
  const before = s.file();
  const cases: Array<[string[], string]> = [
    [['silence'], 'silence: usage: watcher silence <peer> <duration> [reason]\n'],
    [['silence', '10.0.0.3'], 'silence: usage: watcher silence <peer> <duration> [reason]\n'],
    [['unsilence'], 'unsilence: usage: watcher unsilence <peer>\n'],
    [['unsilence', '10.0.0.3', 'now'], 'unsilence: usage: watcher unsilence <peer>\n'],
    [['silences', '--all'], 'silences: usage: watcher silences\n'],
    [['silence', '10.0.0.3', '2hours'], "silence: invalid duration '2hours': a whole number and a unit, s, m, h or d (90s, 30m, 2h, 1d)\n"],
    [['silence', '10.0.0.3', '0s'], "silence: invalid duration '0s': it must be longer than 0\n"],
    [
      ['silence', '-rf', '1h'],
      "silence: invalid peer '-rf': an address, a host name or a peer URL (10.0.0.3, node3.example, http://10.0.0.3:5988)\n",
    ],
  ];
  for (const [argv, err] of cases) assert.equal(await s.run(...argv), { status: 2, out: '', err }, argv.join(' '));
  assert.is(s.file(), before);
});

test('a broken file is not overwritten: status 1, the file named', async () => {
  const s = sandbox();
  await s.run('silences');
  const file = path.join(s.stateDir, 'silences.json');
  fs.writeFileSync(file, '{"sentinella_silences":1,"silences":{"x":{}}}');
  assert.equal(await s.run('silence', '10.0.0.3', '1h'), {
    status: 1,
    out: '',
    err: `silence: ${file} is not a silences file (the silence of x has no until)\n`,
  });
  assert.is(fs.readFileSync(file, 'utf8'), '{"sentinella_silences":1,"silences":{"x":{}}}');
});

test('STATE_DIR: the watcher start-up fallback ($HOME/.local/<name>); a file it cannot read or write: status 1', async () => {
  const blocker = path.join(tmp, 'blocker');
  fs.writeFileSync(blocker, '');
  const home = path.join(tmp, 'fallback-home');
  let out = '';
  const io: CommandIo = { stdout: (t) => (out += t), stderr: () => undefined, now: () => T };
  const status = await runSilenceCommand(['silence', '10.0.0.3', '1h'], { STATE_DIR: path.join(blocker, 'sentinella'), HOME: home }, io);
  assert.is(status, 0);
  assert.ok(fs.existsSync(path.join(home, '.local', 'sentinella', 'silences.json')));
  assert.is(out, '10.0.0.3 silenced until 2026-12-05T13:00:00Z\n');

  let err = '';
  const unset = await runSilenceCommand(
    ['silences'],
    { STATE_DIR: path.join(blocker, 'sentinella') },
    { ...io, stderr: (t) => (err += t) },
  );
  assert.equal({ unset, err }, { unset: 2, err: 'silences: HOME: parameter not set\n' });

  // A silences.json that is a directory: it cannot be read, it is named.
  const dir = path.join(tmp, 'cannot-read');
  fs.mkdirSync(path.join(dir, 'silences.json', 'x'), { recursive: true });
  err = '';
  const unreadable = await runSilenceCommand(['silence', '10.0.0.3', '1h'], { STATE_DIR: dir }, { ...io, stderr: (t) => (err += t) });
  assert.equal({ unreadable, err }, { unreadable: 1, err: `silence: cannot read ${path.join(dir, 'silences.json')}: Is a directory\n` });

  // A directory no file can be created in (root included): /proc/self.
  err = '';
  const unwritable = await runSilenceCommand(
    ['silence', '10.0.0.3', '1h'],
    { STATE_DIR: '/proc/self' },
    { ...io, stderr: (t) => (err += t) },
  );
  assert.is(unwritable, 1);
  assert.match(err, /^silence: cannot write \/proc\/self\/silences\.json: [A-Z][a-z ]+ \(run it as the watcher's user, or root\)\n$/);
});

test('the list: addresses sorted and aligned, the reason last', () => {
  const silences = new Map<string, Silence>([
    ['fd00::10', { untilMs: T + 86_400_000 + 3_600_000, reason: '' }],
    ['10.0.0.3', { untilMs: T + 45_000, reason: 'kernel' }],
  ]);
  assert.equal(listSilences(silences, T), [
    '10.0.0.3  until 2026-12-05T12:00:45Z (45s left)  kernel',
    'fd00::10  until 2026-12-06T13:00:00Z (1d1h left)',
  ]);
  assert.is(renderSilences(new Map()), '{"sentinella_silences":1,"silences":{}}\n');
});

test('the program: --help lists the commands before the variables; `silences` runs the command, exit 0', () => {
  const bin = path.resolve('src/bin/watcher.ts');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', bin, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, HOME: tmp, STATE_DIR: path.join(tmp, 'bin-state') },
    });
  const help = run('--help');
  assert.is(help.status, 0);
  const commands = help.stdout.indexOf(
    '\nCommands (any other argument is ignored, as the originals ignore it):\n  silence <peer> <duration> [reason]',
  );
  assert.ok(commands > 0 && commands < help.stdout.indexOf('\nEnvironment:\n'), help.stdout);
  assert.match(help.stdout, '\n  unsilence <peer>  ');
  const commandHelp = run('silence', '--help'); // --help anywhere: the help, no command run
  assert.equal([commandHelp.status, commandHelp.stdout], [0, help.stdout]);
  const list = run('silences');
  assert.equal([list.status, list.stdout, list.stderr], [0, 'no silences\n', '']);
  const bad = run('silence', '10.0.0.3', '2 hours');
  assert.equal(
    [bad.status, bad.stdout, bad.stderr],
    [2, '', "silence: invalid duration '2 hours': a whole number and a unit, s, m, h or d (90s, 30m, 2h, 1d)\n"],
  );
});

test.run();
