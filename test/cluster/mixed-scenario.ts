// The mixed cluster, run inside private namespaces by mixed.test.ts (which asserts on the
// JSON report this writes). Three hosts on one bridge, one DNS name with their three A
// records, one fake Telegram, Basic Auth on every probe, no SELF anywhere:
//
//   h1 192.0.2.1  legacy probe + legacy watcher   (chat -1001)
//   h2 192.0.2.2  port probe   + port watcher     (chat -1002)
//   h3 192.0.2.3  legacy probe + port watcher     (chat -1003)
//
// Phases: start (everyone OK), h2's probe stopped, h2's probe started again, the URL every
// probe checks goes away (a failing check: D1 and D4 show), the URL comes back; the watchers
// are restarted around the last two changes (see restartWatchersAround).
//
// The plan `mixed-srv` (mixed-scenario-plan.ts) runs the same phases on four hosts whose
// watchers find their peers either way: PEERS_DNS (the A records) or PEERS_SRV (one SRV record
// per host, docs/behaviour.md §12; the legacy side's watcher is then `watcher-srv`); h3's
// probe is the one stopped.
//
//   node --import tsx test/cluster/mixed-scenario.ts <report.json> <legacy bin> <port bin> [plan]
// (only inside enterPrivateNamespaces; it refuses to run anywhere else; plan default `mixed`)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDnsServer, type RunningDnsServer } from '../../scripts/lib/dns.ts';
import { startFakeTelegram, type RunningFakeTelegram } from '../../scripts/lib/telegram.ts';
import { makeTestCa } from '../../scripts/lib/tls.ts';
import {
  HUB_ADDRESS,
  createCluster,
  destroyCluster,
  insidePrivateNamespaces,
  startInHost,
  type HostProcess,
} from '../../scripts/lib/cluster.ts';
import { waitForPort } from '../../scripts/lib/net.ts';
import { sleep, waitUntil } from '../../scripts/lib/process.ts';
import {
  AUTH_LINE,
  HEALTH_URL,
  PEERS_DNS,
  PEERS_SRV,
  PLANS,
  PORT,
  TG_TOKEN,
  phasesOf,
  targetOf,
  type HostPlan,
  type Report,
  type Side,
} from './mixed-scenario-plan.ts';

// One round is a few hundred ms plus POLLING_INTERVAL_SEC; this covers two more rounds.
const SETTLE_MS = 2500;
const PHASE_TIMEOUT_MS = 20_000;

async function main(): Promise<void> {
  const [reportPath, legacyBin, portBin, planName = 'mixed'] = process.argv.slice(2);
  const plan = PLANS[planName];
  if (!insidePrivateNamespaces() || !reportPath || !legacyBin || !portBin || !plan) {
    process.stderr.write('mixed-scenario: run by test/cluster/mixed.test.ts only\n');
    process.exit(2);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'sentinella-mixed-'));
  const report: Report = { phases: [], messages: [], unauthenticated: {}, outputs: {} };
  const processes: HostProcess[] = [];
  let dns: RunningDnsServer | undefined;
  let telegram: RunningFakeTelegram | undefined;
  let health: http.Server | undefined;
  let phase = 'start';
  const HOSTS = plan.hosts;
  const [START, STOPPED, STARTED, URL_DOWN, URL_BACK] = phasesOf(plan) as [string, string, string, string, string];
  const [startCount, stoppedCount, startedCount, downCount, backCount] = plan.counts;
  const stoppedHost = HOSTS.find((h) => h.name === plan.stopped) as HostPlan;
  try {
    createCluster({ hosts: HOSTS.map((h) => h.name), workDir: work, hostsEntries: { 'api.telegram.org': HUB_ADDRESS } });
    const ca = makeTestCa(path.join(work, 'ca'), { dnsNames: ['api.telegram.org'], ips: [HUB_ADDRESS] });
    dns = await startDnsServer({
      host: HUB_ADDRESS,
      port: 53,
      records: {
        [PEERS_DNS]: { A: HOSTS.map((h) => h.address) },
        [PEERS_SRV]: { SRV: HOSTS.map((h) => ({ priority: 10, weight: 10, port: PORT, target: targetOf(h) })) },
        ...Object.fromEntries(HOSTS.map((h) => [targetOf(h), { A: [h.address] }])),
      },
    });
    telegram = await startFakeTelegram({
      host: HUB_ADDRESS,
      port: 443,
      key: readFileSync(ca.keyPath),
      cert: readFileSync(ca.certPath),
      onRequest: (request) => {
        const form = new URLSearchParams(request.body);
        report.messages.push({
          phase,
          chatId: form.get('chat_id') ?? '',
          text: form.get('text') ?? '',
          body: request.body,
          method: request.method,
          path: request.path,
          contentType: request.contentType,
        });
      },
    });
    health = await startHealth();

    const authFile = path.join(work, 'auth');
    writeFileSync(authFile, `${AUTH_LINE}\n`);
    const basePath = `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
    const binOf = (side: Side) => (side === 'legacy' ? legacyBin : portBin);
    const stateDir = (host: HostPlan) => path.join(work, host.name, 'state');

    const startProbe = (host: HostPlan): HostProcess => {
      const bin = binOf(host.probe);
      const child = startInHost(`${host.name} probe`, host.name, [path.join(bin, 'probe')], {
        PATH: `${bin}:${basePath}`,
        PORT: String(PORT),
        URLS: HEALTH_URL,
        VOLUMES: '/',
        TIMEOUT: '2',
        AUTH_FILE: authFile,
      });
      processes.push(child);
      return child;
    };
    const startWatcher = (host: HostPlan): HostProcess => {
      const bin = binOf(host.watcher);
      mkdirSync(path.join(work, host.name, 'home'), { recursive: true });
      // The SRV version: upstream's own script on the legacy side, the port's watcher with PEERS_SRV.
      const program = host.discovery === 'srv' && host.watcher === 'legacy' ? 'watcher-srv' : 'watcher';
      const peers = host.discovery === 'srv' ? { PEERS_SRV } : { PEERS_DNS, PEERS_PORT: String(PORT) };
      const child = startInHost(`${host.name} watcher`, host.name, [path.join(bin, program)], {
        PATH: `${bin}:${basePath}`,
        HOME: path.join(work, host.name, 'home'),
        ...peers,
        PEERS_TOKEN: Buffer.from(AUTH_LINE).toString('base64'),
        TG_TOKEN,
        TG_CHAT_ID: host.chatId,
        TIMEOUT: '2',
        POLLING_INTERVAL_SEC: '1',
        STATE_DIR: stateDir(host),
        // curl (legacy) and Node (port) trust the test CA for the fake api.telegram.org.
        CURL_CA_BUNDLE: ca.caPath,
        NODE_EXTRA_CA_CERTS: ca.caPath,
      });
      processes.push(child);
      return child;
    };
    const readStates = (): Record<string, Record<string, string>> =>
      Object.fromEntries(
        HOSTS.map((host) => {
          let files: string[] = [];
          try {
            files = readdirSync(stateDir(host)).sort();
          } catch {
            // not created (yet)
          }
          return [host.name, Object.fromEntries(files.map((f) => [f, readFileSync(path.join(stateDir(host), f), 'utf8')]))];
        }),
      );
    const runPhase = async (name: string, expected: number, action: () => Promise<void>): Promise<void> => {
      phase = name;
      const before = report.messages.length;
      await action();
      const reached = await waitUntil(() => report.messages.length >= before + expected, PHASE_TIMEOUT_MS);
      await sleep(SETTLE_MS);
      report.phases.push({ name, expected, reached, received: report.messages.length - before, state: readStates() });
    };

    const probes = new Map<string, HostProcess>();
    for (const host of HOSTS) probes.set(host.name, startProbe(host));
    for (const host of HOSTS) {
      if (!(await waitForPort(host.address, PORT, 15_000))) throw new Error(`${host.name}'s probe never listened`);
      report.unauthenticated[host.name] = await statusLine(host.address, PORT);
    }

    const watchers = new Map<string, HostProcess>();
    await runPhase(START, startCount, async () => {
      for (const host of HOSTS) watchers.set(host.name, startWatcher(host));
    });
    await runPhase(STOPPED, stoppedCount, async () => {
      await probes.get(stoppedHost.name)?.stop();
      if (!(await waitForPort(stoppedHost.address, PORT, 5000, false))) throw new Error(`${stoppedHost.name}'s probe still listens`);
    });
    await runPhase(STARTED, startedCount, async () => {
      probes.set(stoppedHost.name, startProbe(stoppedHost));
      if (!(await waitForPort(stoppedHost.address, PORT, 15_000))) throw new Error(`${stoppedHost.name}'s probe never listened again`);
    });
    // The URL change affects both peers of every watcher at once; a watcher caught mid-round
    // would report them in either order. So the watchers are stopped around the change and
    // started again (as systemd would restart them): each then meets it at a round's start,
    // and the restart shows that state files carry over (no alert for what did not change).
    const restartWatchersAround = async (change: () => Promise<void>): Promise<void> => {
      for (const child of watchers.values()) await child.stop();
      await change();
      for (const host of HOSTS) watchers.set(host.name, startWatcher(host));
    };
    await runPhase(URL_DOWN, downCount, () =>
      restartWatchersAround(async () => {
        await closeServer(health);
        health = undefined;
      }),
    );
    await runPhase(URL_BACK, backCount, () =>
      restartWatchersAround(async () => {
        health = await startHealth();
      }),
    );
  } catch (error) {
    (report as { error?: string }).error = (error as Error).stack ?? String(error);
  } finally {
    // Watchers first: a watcher still running while the probes stop would alert about them.
    phase = 'teardown';
    const watchersFirst = [...processes].sort((a, b) => Number(b.label.endsWith('watcher')) - Number(a.label.endsWith('watcher')));
    for (const child of watchersFirst) await child.stop();
    for (const child of processes) {
      report.outputs[child.label] = (report.outputs[child.label] ?? '') + child.output();
    }
    await telegram?.close();
    await dns?.close();
    if (health) await closeServer(health);
    destroyCluster(HOSTS.map((h) => h.name));
    writeFileSync(reportPath, JSON.stringify(report, null, 2));
    rmSync(work, { recursive: true, force: true });
  }
}

/** The URL every probe checks: 200 while it runs, connection refused once closed. */
function startHealth(): Promise<http.Server> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('ok\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(8080, HUB_ADDRESS, () => resolve(server));
  });
}

function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The status line a probe answers `GET /` without credentials with. */
function statusLine(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: probe\r\n\r\n'));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data.split('\r\n')[0] ?? '');
    });
  });
}

await main();
