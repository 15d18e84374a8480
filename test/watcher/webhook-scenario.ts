// WEBHOOK_URLS and TG_API_URL end to end, inside a private network + mount namespace (sandbox.ts
// runScenario): one port watcher (SELF=127.0.0.1) from src/, two fake probes on 127.0.0.2-3
// (peers.test in the private /etc/hosts), webhook receivers on 127.0.0.1:9001 and :9002 (http),
// and the fake Telegram: on 127.0.0.1:443 as api.telegram.org (https, test CA), where nothing
// may arrive, and, for tg-api-url, over http on 127.0.0.1:8081 (TG_API_URL). Phases: fresh
// start (both peers up), 127.0.0.3 fails, it recovers. Prints one JSON line.
//   node --import tsx webhook-scenario.ts <webhook-only|tg-api-url> <workdir>
import http from 'node:http';
import path from 'node:path';
import { sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { startFakeTelegram, type RunningFakeTelegram } from '../../scripts/lib/telegram.ts';
import { peersDns, runMain, sandboxTelegram, scenarioArgs, startWatcher, stateFiles, watcherEnv } from './scenario-kit.ts';

const { scenario, work } = scenarioArgs('webhook-only');
const PEERS = ['127.0.0.2', '127.0.0.3'];

interface Hook {
  readonly posts: Array<{ path: string; contentType: string; json: unknown; status: number }>;
  readonly server: http.Server;
}

/** A webhook receiver on 127.0.0.1:<port>: the i-th post gets statuses[i], then 200. */
async function hook(port: number, statuses: number[]): Promise<Hook> {
  const posts: Hook['posts'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      posts.push({
        path: req.url ?? '',
        contentType: String(req.headers['content-type']),
        json: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        status,
      });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { posts, server };
}

async function main(): Promise<void> {
  const probes = await peersDns(work, PEERS);
  // api.telegram.org: nothing may reach it in either scenario.
  const realTelegram = await sandboxTelegram(work);
  const a = await hook(9001, []);
  const b = await hook(9002, scenario === 'webhook-only' ? [500] : []);
  let local: RunningFakeTelegram | undefined;
  const env: Record<string, string> = {};
  if (scenario === 'webhook-only') {
    env.WEBHOOK_URLS = 'http://127.0.0.1:9001/hooks/a http://127.0.0.1:9002/hooks/b?token=secret';
  } else {
    local = await startFakeTelegram({ port: 8081, api: { flood: false } });
    Object.assign(env, { TG_API_URL: 'http://127.0.0.1:8081', TG_TOKEN: '123:abc', TG_CHAT_ID: '-100' });
    env.WEBHOOK_URLS = 'http://127.0.0.1:9001/hooks/a';
  }
  const stateDir = path.join(work, 'state');
  const watcher = startWatcher(watcherEnv(work, { PEERS_DNS: 'peers.test', TIMEOUT: '2', ...env }));
  const states = (): string[] => stateFiles(stateDir).map(([, s]) => s);
  const count = (state: string): number => states().filter((s) => s === state).length;
  const delivered = (h: Hook): number => h.posts.filter((p) => p.status === 200).length;

  const last = scenario === 'webhook-only' ? b : a; // the last hook of WEBHOOK_URLS
  await waitFor('the start-up changes written', () => count('up:1/1:200') === 2 && delivered(last) >= 2, 30_000);
  probes.failing.add(PEERS[1] as string);
  await waitFor('the failure written', () => count('down:0/1:200') === 1, 30_000);
  probes.failing.clear();
  await waitFor('the recovery written', () => count('up:1/1:200') === 2 && delivered(a) >= 4, 30_000);
  await sleep(3000); // room for anything sent twice
  await stopProcess(watcher.child, { graceMs: 5000 });
  const report = {
    scenario,
    hookA: a.posts,
    hookB: b.posts,
    local: local?.requests.map((r) => ({ path: r.path, chatId: r.chatId, text: r.text, answer: r.answer })) ?? [],
    apiTelegramOrg: realTelegram.requests.length,
    states: states(),
    stderr: watcher.stderr().replace(/\x1b\[[0-9;]*m/g, ''),
  };
  await Promise.all([realTelegram.close(), local?.close()]);
  for (const server of [a.server, b.server, probes.server]) server.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

runMain(main);
