// DIGEST=1 end to end, inside a private network + mount namespace (sandbox.ts runScenario):
// one port watcher (SELF=127.0.0.1) with four fake probes on 127.0.0.2-5 and the fake
// Telegram on 127.0.0.1:443 (api.telegram.org in the private /etc/hosts, test CA), METRICS_FILE
// set. Phases: fresh start; three of the four peers fail at once (Telegram answers the first
// digest about it with a 500); they recover. Prints one JSON line.
import fs from 'node:fs';
import path from 'node:path';
import { sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { peersDns, runMain, sandboxTelegram, scenarioArgs, startWatcher, stateFiles, watcherEnv } from './scenario-kit.ts';

const { scenario, work } = scenarioArgs('digest');
const PEERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

async function main(): Promise<void> {
  const probes = await peersDns(work, PEERS);
  const telegram = await sandboxTelegram(work, {
    answers: [{ kind: 'ok' }, { kind: 'error', status: 500, description: 'Internal Server Error' }],
  });
  const stateDir = path.join(work, 'state');
  const metricsFile = path.join(work, 'sentinella.prom');
  const watcher = startWatcher(
    watcherEnv(work, {
      NO_COLOR: '1',
      PEERS_DNS: 'peers.test',
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      DIGEST: '1',
      METRICS_FILE: metricsFile,
      TIMEOUT: '3',
    }),
  );
  const states = (): string[] => stateFiles(stateDir).map(([, s]) => s);
  const count = (state: string): number => states().filter((s) => s === state).length;

  await waitFor('the start-up digest', () => telegram.requests.length >= 1 && count('up:1/1:200') === 4, 30_000);
  for (const a of PEERS.slice(1)) probes.failing.add(a); // three of four at once
  await waitFor('the failure digest, refused then sent again', () => telegram.requests.length >= 3 && count('down:0/1:200') === 3, 30_000);
  probes.failing.clear();
  await waitFor('the recovery digest', () => telegram.requests.length >= 4 && count('up:1/1:200') === 4, 30_000);
  await sleep(3000); // room for anything sent twice
  const metrics = fs.readFileSync(metricsFile, 'utf8');
  await stopProcess(watcher.child, { graceMs: 5000 });
  await telegram.close();
  probes.server.close();
  process.stdout.write(
    `${JSON.stringify({
      scenario,
      messages: telegram.requests.map((r) => ({ text: new URLSearchParams(r.body).get('text'), answer: r.answer })),
      states: states(),
      metrics,
      stderr: watcher.stderr(),
    })}\n`,
  );
}

runMain(main);
