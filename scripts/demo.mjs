#!/usr/bin/env node
// `npm run demo`: a three-node sentinèlla cluster on this machine, made of the port's probes
// and watchers, with a small DNS server for the peers' name and a local stand-in for
// Telegram that prints every alert as it arrives. After the first alerts it stops node 2's
// probe, then starts it again, so FAIL: and then OK  : alerts appear. It ends by itself in
// about 15 s (or on Ctrl-C) and removes every process and namespace it made.
//
// Each node is a network namespace on a private bridge (192.0.2.0/24, TEST-NET-1), all inside
// a private network + mount namespace: as root directly, as a normal user through an
// unprivileged user namespace (`unshare -r`). Nothing outside is reached or changed.
// Shares its plumbing with the mixed-cluster test (scripts/lib/: cluster.ts, dns.ts, telegram.ts, tls.ts).
import './lib/tsx.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const self = fileURLToPath(import.meta.url);

const cluster = await import('./lib/cluster.ts');
const { waitForPort } = await import('./lib/net.ts');
const { sleep, waitUntil } = await import('./lib/process.ts');

const PEERS_DNS = 'peers.demo.test';
const PORT = 5988;
const NODES = [1, 2, 3];
const AUTH_LINE = 'demo:demo';
const colour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
const say = (text) => console.log(`${paint('1', 'demo')}  ${text}`);

if (!cluster.insidePrivateNamespaces()) await outside();
else await inside();

/** In the user's own namespaces: build if needed, check what is possible, re-enter. */
async function outside() {
  const bin = process.env.PORT_BIN_DIR ? path.resolve(process.env.PORT_BIN_DIR) : path.join(root, 'dist', 'bin');
  if (!existsSync(path.join(bin, 'probe')) || !existsSync(path.join(bin, 'watcher'))) {
    say('building the port (npm run build)...');
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) process.exit(1);
  }
  const support = cluster.probeNamespaceSupport();
  if (!support.ok) {
    console.error(`demo: this needs private network namespaces: ${support.reason}.`);
    console.error('demo: it makes three namespaces on a private bridge, so it needs root, or a kernel that');
    console.error('demo: lets normal users make user namespaces (`unshare -r true` must work), plus the');
    console.error('demo: `unshare` (util-linux) and `ip` (iproute2) commands.');
    process.exit(1);
  }
  say(
    process.getuid?.() === 0
      ? 'running as root: using private network namespaces'
      : 'running as a normal user: using an unprivileged user namespace (unshare -r)',
  );
  // It ends by itself in about 15 s; past two minutes something hangs: TERM (it cleans up), then KILL.
  const { child, exit } = cluster.enterPrivateNamespaces(support, self, [bin], {
    cwd: root,
    stdio: 'inherit',
    boundMs: 120_000,
    graceMs: 10_000,
  });
  // Ctrl-C reaches the inner demo too (same terminal process group); it cleans up and exits.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  const { code, signal } = await exit;
  process.exit(code ?? (signal ? 1 : 0));
}

/** Inside the private namespaces: the cluster itself. */
async function inside() {
  const [bin] = process.argv.slice(2);
  const { startDnsServer } = await import('./lib/dns.ts');
  const { startFakeTelegram } = await import('./lib/telegram.ts');
  const { makeTestCa } = await import('./lib/tls.ts');
  const work = mkdtempSync(path.join(tmpdir(), 'sentinella-demo-'));
  const names = NODES.map((n) => `node${n}`);
  const processes = [];
  let dns;
  let telegram;
  let health;
  let finishing = false;
  const messages = [];

  const cleanUp = async () => {
    if (finishing) return;
    finishing = true;
    say('cleaning up: stopping every probe and watcher, removing the namespaces');
    // Watchers first, so none of them alerts about a probe being stopped here.
    for (const child of processes.filter((p) => p.label.endsWith('watcher'))) await child.stop();
    for (const child of processes.filter((p) => !p.label.endsWith('watcher'))) await child.stop();
    await telegram?.close();
    await dns?.close();
    health?.closeAllConnections();
    health?.close();
    cluster.destroyCluster(names);
    rmSync(work, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    console.log('');
    say('Ctrl-C');
    cleanUp().then(() => process.exit(130));
  });
  process.on('SIGTERM', () => cleanUp().then(() => process.exit(143)));

  try {
    say(`three nodes on a private bridge: ${NODES.map((n) => `node${n} = ${cluster.hostAddress(n)}`).join(', ')}`);
    cluster.createCluster({ hosts: names, workDir: work, hostsEntries: { 'api.telegram.org': cluster.HUB_ADDRESS } });
    const ca = makeTestCa(path.join(work, 'ca'), { dnsNames: ['api.telegram.org'], ips: [cluster.HUB_ADDRESS] });
    dns = await startDnsServer({
      host: cluster.HUB_ADDRESS,
      port: 53,
      records: { [PEERS_DNS]: { A: NODES.map((n) => cluster.hostAddress(n)) } },
    });
    say(`DNS on ${cluster.HUB_ADDRESS}: ${PEERS_DNS} has the three A records (the only peer list there is)`);
    telegram = await startFakeTelegram({
      host: cluster.HUB_ADDRESS,
      port: 443,
      key: readFileSync(ca.keyPath),
      cert: readFileSync(ca.certPath),
      onRequest: (request) => {
        if (finishing) return;
        const form = new URLSearchParams(request.body);
        const chat = form.get('chat_id') ?? '?';
        const text = form.get('text') ?? '';
        messages.push({ chat, text });
        const shade = text.startsWith('FAIL') ? '31' : '32';
        console.log(`${paint('35', 'telegram')}  ${paint('2', `to chat ${chat}:`)} ${paint(shade, text)}`);
      },
    });
    say('a stand-in for api.telegram.org (HTTPS, test CA) prints every alert as it arrives');
    health = await new Promise((resolve) => {
      const server = http.createServer((_req, res) => res.end('ok\n'));
      server.listen(8080, cluster.HUB_ADDRESS, () => resolve(server));
    });

    const authFile = path.join(work, 'auth');
    writeFileSync(authFile, `${AUTH_LINE}\n`);
    const basePath = `${bin}:${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
    const probes = new Map();
    const startProbe = (n) => {
      const child = cluster.startInHost(`node${n} probe`, `node${n}`, [path.join(bin, 'probe')], {
        PATH: basePath,
        PORT: String(PORT),
        URLS: `http://${cluster.HUB_ADDRESS}:8080/health`,
        VOLUMES: '/',
        AUTH_FILE: authFile,
        TIMEOUT: '2',
      });
      processes.push(child);
      probes.set(n, child);
    };
    const startWatcher = (n) => {
      const home = path.join(work, `node${n}`);
      mkdirSync(home, { recursive: true });
      processes.push(
        cluster.startInHost(`node${n} watcher`, `node${n}`, [path.join(bin, 'watcher')], {
          PATH: basePath,
          HOME: home,
          PEERS_DNS,
          PEERS_PORT: String(PORT),
          PEERS_TOKEN: Buffer.from(AUTH_LINE).toString('base64'),
          TG_TOKEN: '123:demo',
          TG_CHAT_ID: `node${n}`,
          TIMEOUT: '2',
          POLLING_INTERVAL_SEC: '1',
          STATE_DIR: path.join(home, 'state'),
          NODE_EXTRA_CA_CERTS: ca.caPath,
        }),
      );
    };
    // `since` is the message count taken before the action: an alert may arrive while the
    // action (stopping a probe) is still under way.
    const expect = async (since, count, what) => {
      const ok = await waitUntil(() => messages.length >= since + count || finishing, 20_000);
      if (!ok) say(paint('33', `(expected ${count} ${what} alerts, got ${messages.length - since}; carrying on)`));
    };

    say('starting a probe on every node (port 5988, Basic Auth, checks one URL)');
    for (const n of NODES) startProbe(n);
    for (const n of NODES) {
      if (!(await waitForPort(cluster.hostAddress(n), PORT, 15_000))) throw new Error(`node${n}'s probe did not start`);
    }
    say('starting a watcher on every node: each resolves the name, skips its own address, polls the others every second');
    const before = messages.length;
    for (const n of NODES) startWatcher(n);
    await expect(before, 6, 'first');
    // A pause, then `action` and the `count` alerts it should bring; false once Ctrl-C is under way.
    const step = async (what, action, count, kind) => {
      if (finishing) return false;
      await sleep(2000);
      if (finishing) return false;
      say(paint('33', what));
      const since = messages.length;
      await action();
      await expect(since, count, kind);
      return !finishing;
    };
    if (!(await step("stopping node2's probe (an outage): node1 and node3 should alert", () => probes.get(2)?.stop(), 2, 'FAIL'))) return;
    if (!(await step("starting node2's probe again: node1 and node3 should say it is back", () => startProbe(2), 2, 'OK'))) return;
    await sleep(1500);
    const fromNode2 = messages.slice(before + 6).filter((m) => m.chat === 'node2').length;
    say(
      `${messages.length - before} alerts in all; ` +
        (fromNode2 === 0
          ? "node2's own watcher sent none during the outage: it kept seeing node1 and node3 up"
          : `node2's watcher sent ${fromNode2} during the outage`),
    );
    await cleanUp();
    say('done');
  } catch (error) {
    console.error(`demo: ${error.message}`);
    for (const child of processes) {
      const out = child.output().trim();
      if (out) console.error(`--- ${child.label}:\n${out.split('\n').slice(-5).join('\n')}`);
    }
    await cleanUp();
    process.exitCode = 1;
  }
}
