// PEERS_SRV with the port's own options (docs/behaviour.md §10, §12), inside a private network +
// mount namespace (sandbox.ts runScenario): one port watcher (SELF=127.0.0.1) finding two fake
// probes through SRV records (n2 on 127.0.0.2:5988, n3 on 127.0.0.3:6001), DIGEST=1 and
// METRICS_FILE set, the fake Telegram on 127.0.0.1:443. Phases: fresh start; n3's checks fail;
// they recover. Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { startDnsServer } from '../../scripts/lib/dns.ts';
import { statusBody } from '../../scripts/lib/peers.ts';
import { sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { fakeProbes, privateHosts, runMain, sandboxTelegram, scenarioArgs, startWatcher, stateFiles, watcherEnv } from './scenario-kit.ts';

const { scenario, work } = scenarioArgs('srv-options');
const NAME = '_sentinella._tcp.mesh.test';

async function main(): Promise<void> {
  privateHosts(work, []);
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
  const probe = (host: string, port: number) => fakeProbes((address) => address === '127.0.0.3' && n3Failing, { port, host }, statusBody);
  const probes = [await probe('127.0.0.2', 5988), await probe('127.0.0.3', 6001)];
  const telegram = await sandboxTelegram(work);
  const stateDir = path.join(work, 'state');
  const metricsFile = path.join(work, 'sentinella.prom');
  const watcher = startWatcher(
    watcherEnv(work, {
      PEERS_SRV: NAME,
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      DIGEST: '1',
      METRICS_FILE: metricsFile,
      TIMEOUT: '3',
    }),
  );
  const states = (): Record<string, string> => Object.fromEntries(stateFiles(stateDir));
  const has = (state: string): boolean => Object.values(states()).includes(state);

  await waitFor('the start-up digest', () => telegram.requests.length >= 1 && Object.keys(states()).length === 2, 30_000);
  n3Failing = true;
  await waitFor('the failure digest', () => telegram.requests.length >= 2 && has('down:0/1:200'), 30_000);
  await sleep(2500); // a round or two with n3 down: its metrics
  const metricsWhileDown = fs.readFileSync(metricsFile, 'utf8');
  n3Failing = false;
  await waitFor('the recovery digest', () => telegram.requests.length >= 3 && !has('down:0/1:200'), 30_000);
  await sleep(2500); // room for anything sent twice
  await stopProcess(watcher.child, { graceMs: 5000 });
  await telegram.close();
  await dns.close();
  for (const p of probes) p.close();
  process.stdout.write(
    `${JSON.stringify({
      scenario,
      messages: telegram.requests.map((r) => new URLSearchParams(r.body).get('text')),
      states: states(),
      metricsWhileDown,
      stderr: watcher.stderr(),
    })}\n`,
  );
}

runMain(main);
