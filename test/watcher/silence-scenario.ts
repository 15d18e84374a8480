// Silences end to end, inside a private network + mount namespace (sandbox.ts runScenario): one
// port watcher (SELF=127.0.0.1) polling two fake probes on 127.0.0.2-3, with two channels side
// by side: the fake Telegram on 127.0.0.1:443 (test CA) and a webhook on 127.0.0.1:9001
// (WEBHOOK_URLS). The commands run as separate processes with the watcher's
// STATE_DIR, as an operator runs them. Phases: start-up (two OK messages); `silence
// peer3.test 1h` (a host name, resolved by getent through the private /etc/hosts); 127.0.0.3
// goes down and stays down for several rounds; `unsilence 127.0.0.3`; a few rounds more.
// Prints one JSON line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { routerResponse, statusSummaryBody } from '../../scripts/lib/peers.ts';
import { run, sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { startFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

const [scenario = 'silence', work = '/tmp'] = process.argv.slice(2);
const PEERS = ['127.0.0.2', '127.0.0.3'];
const WATCHER = path.join(ROOT, 'src/bin/watcher.ts');

async function main(): Promise<void> {
  const tls = path.join(work, 'tls');
  isolateResolver({
    dir: path.join(work, 'etc'),
    hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...PEERS.map((a) => `${a} peers.test`), '127.0.0.3 peer3.test'],
  });
  let down = new Set<string>();
  const probes = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const bad = down.has(s.localAddress?.replace(/^::ffff:/, '') ?? '');
      s.end(
        routerResponse(
          '200 OK',
          'application/json',
          statusSummaryBody([{ url: 'http://svc.test/health', code: bad ? '500' : '200', ok: !bad }]),
        ),
      );
    });
  });
  await new Promise<void>((r) => probes.listen(5988, '0.0.0.0', r));
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(tls, 'key.pem')),
    cert: fs.readFileSync(path.join(tls, 'cert.pem')),
  });
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
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    NO_COLOR: '1',
    NODE_EXTRA_CA_CERTS: path.join(tls, 'ca.pem'),
    PEERS_DNS: 'peers.test',
    SELF: '127.0.0.1',
    TG_TOKEN: '123:abc',
    TG_CHAT_ID: '-100',
    WEBHOOK_URLS: 'http://127.0.0.1:9001/hook',
    TIMEOUT: '3',
    POLLING_INTERVAL_SEC: '1',
    STATE_DIR: stateDir,
  };
  let stderr = '';
  const watcher = spawn(process.execPath, ['--import', 'tsx', WATCHER], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  watcher.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  /** A command as an operator runs it: a process of its own, the watcher's environment. */
  const command = async (...args: string[]) => {
    const r = await run(process.execPath, ['--import', 'tsx', WATCHER, ...args], { cwd: ROOT, env, timeoutMs: 30_000 });
    return { args: args.join(' '), status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr };
  };
  const states = (): string[] => {
    try {
      return fs
        .readdirSync(stateDir)
        .filter((f) => f.endsWith('.state'))
        .sort()
        .map((f) => fs.readFileSync(path.join(stateDir, f), 'utf8'));
    } catch {
      return [];
    }
  };
  const texts = (): string[] => telegram.requests.map((r) => new URLSearchParams(r.body).get('text') ?? '');
  const rounds = (): number => stderr.split('polling peers via').length - 1;

  await waitFor('the start-up messages', () => hookTexts.length >= 2 && states().filter((s) => s === 'up:1/1:200').length === 2, 30_000);
  const commands = [await command('silence', 'peer3.test', '1h', 'kernel', 'upgrade'), await command('silences')];
  const startupMessages = texts().length;
  const startupPosts = hookTexts.length;
  down = new Set(['127.0.0.3']);
  await waitFor('the held change', () => stderr.includes('silenced until'), 30_000);
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
  await stopProcess(watcher, { graceMs: 5000 });
  await telegram.close();
  probes.close();
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
      stderr,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
