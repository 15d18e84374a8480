// Silences end to end, inside a private network + mount namespace (sandbox.ts runScenario): one
// port watcher (SELF=127.0.0.1) polling two fake probes on 127.0.0.2-3, with two channels side
// by side: the fake Telegram on 127.0.0.1:443 (test CA) and a webhook on 127.0.0.1:9001
// (WEBHOOK_URLS). The commands run as separate processes with the watcher's
// STATE_DIR, as an operator runs them. Phases: start-up (two OK messages); `silence
// peer3.test 1h` (a host name, resolved by getent through the private /etc/hosts); 127.0.0.3
// goes down and stays down for several rounds; `unsilence 127.0.0.3`; a few rounds more.
// Prints one JSON line.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { run, sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { ROOT } from './sandbox.ts';
import { peersDns, runMain, sandboxTelegram, scenarioArgs, startWatcher, stateFiles, WATCHER, watcherEnv } from './scenario-kit.ts';

const { scenario, work } = scenarioArgs('silence');
const PEERS = ['127.0.0.2', '127.0.0.3'];

async function main(): Promise<void> {
  const probes = await peersDns(work, PEERS, ['127.0.0.3 peer3.test']);
  const telegram = await sandboxTelegram(work);
  const hookTexts: string[] = [];
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      hookTexts.push((JSON.parse(body) as { text: string }).text);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(9001, '127.0.0.1', r));
  const stateDir = path.join(work, 'state');
  const env = watcherEnv(work, {
    NO_COLOR: '1',
    PEERS_DNS: 'peers.test',
    TG_TOKEN: '123:abc',
    TG_CHAT_ID: '-100',
    WEBHOOK_URLS: 'http://127.0.0.1:9001/hook',
    TIMEOUT: '3',
  });
  const watcher = startWatcher(env);
  const stderr = watcher.stderr;
  /** A command as an operator runs it: a process of its own, the watcher's environment. */
  const command = async (...args: string[]) => {
    const r = await run(process.execPath, ['--import', 'tsx', WATCHER, ...args], { cwd: ROOT, env, timeoutMs: 30_000 });
    return { args: args.join(' '), status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
  };
  const states = (): string[] => stateFiles(stateDir, (f) => f.endsWith('.state')).map(([, s]) => s);
  const texts = (): string[] => telegram.requests.map((r) => new URLSearchParams(r.body).get('text') ?? '');
  const rounds = (): number => stderr().split('polling peers via').length - 1;

  await waitFor('the start-up messages', () => hookTexts.length >= 2 && states().filter((s) => s === 'up:1/1:200').length === 2, 30_000);
  const commands = [await command('silence', 'peer3.test', '1h', 'kernel', 'upgrade'), await command('silences')];
  const startupMessages = texts().length;
  const startupPosts = hookTexts.length;
  probes.failing.add('127.0.0.3');
  await waitFor('the held change', () => stderr().includes('silenced until'), 30_000);
  const heldAt = rounds();
  await waitFor('four more rounds while silenced', () => rounds() >= heldAt + 4, 30_000);
  const whileSilenced = { messages: texts().slice(startupMessages), posts: hookTexts.slice(startupPosts), states: states() };
  commands.push(await command('unsilence', '127.0.0.3'));
  await waitFor('the FAIL once the silence is lifted', () => states().includes('down:0/1:200'), 30_000);
  const liftedAt = rounds();
  await waitFor('three more rounds', () => rounds() >= liftedAt + 3, 30_000);
  await sleep(500);
  const after = { messages: texts().slice(startupMessages), posts: hookTexts.slice(startupPosts), states: states() };
  commands.push(await command('silences'));
  await stopProcess(watcher.child, { graceMs: 5000 });
  await telegram.close();
  probes.server.close();
  hook.close();
  process.stdout.write(
    `${JSON.stringify({
      scenario,
      startup: texts().slice(0, startupMessages),
      startupPosts: hookTexts.slice(0, startupPosts),
      commands,
      whileSilenced,
      after,
      files: fs.readdirSync(stateDir).sort(),
      stderr: stderr(),
    })}\n`,
  );
}

runMain(main);
