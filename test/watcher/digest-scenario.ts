// DIGEST=1 end to end, inside a private network + mount namespace (sandbox.ts runScenario):
// one port watcher (SELF=127.0.0.1) with four fake probes on 127.0.0.2-5 and the fake
// Telegram on 127.0.0.1:443 (api.telegram.org in the private /etc/hosts, test CA), METRICS_FILE
// set. Phases: fresh start; three of the four peers fail at once (Telegram answers the first
// digest about it with a 500); they recover. Prints one JSON line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { routerResponse, statusSummaryBody } from '../../scripts/lib/peers.ts';
import { sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { startFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

const [scenario = 'digest', work = '/tmp'] = process.argv.slice(2);
const PEERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

async function main(): Promise<void> {
  const tls = path.join(work, 'tls');
  isolateResolver({
    dir: path.join(work, 'etc'),
    hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...PEERS.map((a) => `${a} peers.test`)],
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
    answers: [{ kind: 'ok' }, { kind: 'error', status: 500, description: 'Internal Server Error' }],
  });
  const stateDir = path.join(work, 'state');
  const metricsFile = path.join(work, 'sentinella.prom');
  let stderr = '';
  const watcher = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/watcher.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      NO_COLOR: '1',
      NODE_EXTRA_CA_CERTS: path.join(tls, 'ca.pem'),
      PEERS_DNS: 'peers.test',
      SELF: '127.0.0.1',
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      DIGEST: '1',
      METRICS_FILE: metricsFile,
      TIMEOUT: '3',
      POLLING_INTERVAL_SEC: '1',
      STATE_DIR: stateDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  watcher.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const states = (): string[] => {
    try {
      return fs
        .readdirSync(stateDir)
        .sort()
        .map((f) => fs.readFileSync(path.join(stateDir, f), 'utf8'));
    } catch {
      return [];
    }
  };
  const count = (state: string): number => states().filter((s) => s === state).length;

  await waitFor('the start-up digest', () => telegram.requests.length >= 1 && count('up:1/1:200') === 4, 30_000);
  down = new Set(PEERS.slice(1)); // three of four at once
  await waitFor('the failure digest, refused then sent again', () => telegram.requests.length >= 3 && count('down:0/1:200') === 3, 30_000);
  down = new Set();
  await waitFor('the recovery digest', () => telegram.requests.length >= 4 && count('up:1/1:200') === 4, 30_000);
  await sleep(3000); // room for anything sent twice
  const metrics = fs.readFileSync(metricsFile, 'utf8');
  await stopProcess(watcher, { graceMs: 5000 });
  await telegram.close();
  probes.close();
  process.stdout.write(
    `${JSON.stringify({
      scenario,
      messages: telegram.requests.map((r) => ({ text: new URLSearchParams(r.body).get('text'), answer: r.answer })),
      states: states(),
      metrics,
      stderr,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
