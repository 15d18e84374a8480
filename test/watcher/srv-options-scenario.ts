// PEERS_SRV with the port's own options (docs/behaviour.md §10, §12), inside a private network +
// mount namespace (sandbox.ts runScenario): one port watcher (SELF=127.0.0.1) finding two fake
// probes through SRV records (n2 on 127.0.0.2:5988, n3 on 127.0.0.3:6001), DIGEST=1 and
// METRICS_FILE set, the fake Telegram on 127.0.0.1:443. Phases: fresh start; n3's checks fail;
// they recover. Prints one JSON line.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startDnsServer } from '../../scripts/lib/dns.ts';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { routerResponse, statusBody } from '../../scripts/lib/peers.ts';
import { sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { startFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

const [scenario = 'srv-options', work = '/tmp'] = process.argv.slice(2);
const NAME = '_sentinella._tcp.mesh.test';

async function main(): Promise<void> {
  const tls = path.join(work, 'tls');
  isolateResolver({ dir: path.join(work, 'etc'), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org'] });
  const dns = await startDnsServer({
    records: {
      [NAME]: {
        SRV: [
          { priority: 10, weight: 5, port: 5988, target: 'n2.mesh.test' },
          { priority: 10, weight: 5, port: 6001, target: 'n3.mesh.test' },
        ],
      },
      'n2.mesh.test': { A: ['127.0.0.2'] },
      'n3.mesh.test': { A: ['127.0.0.3'] },
    },
  });
  let n3Failing = false;
  const probe = (host: string, port: number) => {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => {
        const bad = host === '127.0.0.3' && n3Failing;
        s.end(
          routerResponse(
            '200 OK',
            'application/json',
            statusBody([{ url: 'http://svc.test/health', code: bad ? '500' : '200', ok: !bad }]),
          ),
        );
      });
    });
    return new Promise<net.Server>((r) => server.listen(port, host, () => r(server)));
  };
  const probes = [await probe('127.0.0.2', 5988), await probe('127.0.0.3', 6001)];
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(tls, 'key.pem')),
    cert: fs.readFileSync(path.join(tls, 'cert.pem')),
  });
  const stateDir = path.join(work, 'state');
  const metricsFile = path.join(work, 'sentinella.prom');
  let stderr = '';
  const watcher = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/watcher.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: work,
      NODE_EXTRA_CA_CERTS: path.join(tls, 'ca.pem'),
      PEERS_SRV: NAME,
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
  const states = (): Record<string, string> => {
    try {
      return Object.fromEntries(
        fs
          .readdirSync(stateDir)
          .sort()
          .map((f) => [f, fs.readFileSync(path.join(stateDir, f), 'utf8')]),
      );
    } catch {
      return {};
    }
  };
  const has = (state: string): boolean => Object.values(states()).includes(state);

  await waitFor('the start-up digest', () => telegram.requests.length >= 1 && Object.keys(states()).length === 2, 30_000);
  n3Failing = true;
  await waitFor('the failure digest', () => telegram.requests.length >= 2 && has('down:0/1:200'), 30_000);
  await sleep(2500); // a round or two with n3 down: its metrics
  const metricsWhileDown = fs.readFileSync(metricsFile, 'utf8');
  n3Failing = false;
  await waitFor('the recovery digest', () => telegram.requests.length >= 3 && !has('down:0/1:200'), 30_000);
  await sleep(2500); // room for anything sent twice
  await stopProcess(watcher, { graceMs: 5000 });
  await telegram.close();
  await dns.close();
  for (const p of probes) p.close();
  process.stdout.write(
    `${JSON.stringify({
      scenario,
      messages: telegram.requests.map((r) => new URLSearchParams(r.body).get('text')),
      states: states(),
      metricsWhileDown,
      stderr,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
