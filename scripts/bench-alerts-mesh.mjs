#!/usr/bin/env node
// Benchmark of issue 11's ways to alert from a large mesh: seconds from a failure to its first
// FAIL delivered to the Telegram group, and messages about it. Each run in its own sandbox
// (unshare: network + mount namespace, lo only, private /etc/hosts), with N nodes on
// 127.0.1.1..N: one fake probe server per address, one port watcher per node
// (SELF = its address, POLLING_INTERVAL_SEC=1, TIMEOUT=5), and one fake Telegram (HTTPS, test
// CA) with Telegram's flood control for one group: at most 20 messages in any 60 s, then
// 429 with retry_after until a slot frees. Fresh start (no state files); 2 s after every
// watcher finished two rounds, node 3's one check starts failing.
//   default       every watcher sends every change (the originals' design)
//   digest        DIGEST=1
//   alertmanager  ALERTMANAGER_URLS: two Alertmanagers in HA (Debian's prometheus-alertmanager,
//                 packaging/alertmanager/alertmanager.yml, group_wait 2 s) send to the group
//
//   node scripts/bench-alerts-mesh.mjs [--modes digest,alertmanager,default] [--nodes 8,24]
//       [--port-bin dist/bin] [--write]        (--write: BENCHMARKS.md "## alerts: large meshes")
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { binDirs, flag, option, root } from './lib/bench.mjs';

const args = process.argv.slice(2);
const FAIL_AFTER_MS = 2000; // after every watcher's second round
const BOUND_MS = 150_000; // per run, failure to first delivered FAIL
const TARGET = { 'digest 8': '<= 10 s', 'alertmanager 24': '<= 10 s' }; // issue 11

if (args[0] === '--inner') await inner(args[1], Number(args[2]), args[3], args[4]);
else await outer();

// ------------------------------------------------------------------ outer: run and tabulate

async function outer() {
  const { port: portBin } = binDirs();
  if (!existsSync(path.join(portBin, 'watcher'))) throw new Error(`no port watcher in ${portBin} (npm run build)`);
  const modes = option('modes', 'digest,alertmanager').split(',');
  const sizes = option('nodes', '8,24').split(',').map(Number);
  const work = mkdtempSync(path.join(tmpdir(), 'bench-alerts-mesh-'));
  const rows = [];
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('${root}/test/support/tls.ts').then(m => m.makeTestCa('${work}/tls'))`], { cwd: root });
    for (const mode of modes) {
      for (const nodes of sizes) {
        process.stderr.write(`bench-alerts-mesh: ${mode} ${nodes} nodes ...\n`);
        rows.push({ mode, nodes, ...(await runInner(mode, nodes, portBin, work)) });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = render(rows);
  process.stdout.write(table);
  if (flag('write')) writeSection(table);
}

function runInner(mode, nodes, binDir, work) {
  const unshare = ['--net', '--mount', '--propagation', 'private', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])];
  const child = spawn('unshare', [...unshare, '--', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--inner', mode, String(nodes), binDir, work], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const bound = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }, BOUND_MS + 90_000);
  return new Promise((resolve) => {
    child.on('close', () => {
      clearTimeout(bound);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (process.env.BENCH_DEBUG) process.stderr.write(`${line}\n`);
      resolve(line ? JSON.parse(line) : { error: 'no result' });
    });
  });
}

function render(rows) {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; \`node scripts/bench-alerts-mesh.mjs\`.`,
    '',
    '| mode | nodes | failure → first FAIL delivered (s) | messages naming the failed node | messages at start-up (delivered / 429) | target |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const first = r.firstFailMs === undefined ? `not within ${BOUND_MS / 1000} s${r.error ? ` (${r.error})` : ''}` : (r.firstFailMs / 1000).toFixed(1);
    lines.push(`| ${r.mode} | ${r.nodes} | ${first} | ${r.failMessages ?? ''} | ${r.startDelivered ?? ''} / ${r.startRefused ?? ''} | ${TARGET[`${r.mode} ${r.nodes}`] ?? ''} |`);
  }
  lines.push(
    '',
    'Each run: N nodes on loopback addresses in a private network namespace, one port watcher per node',
    '(POLLING_INTERVAL_SEC=1, TIMEOUT=5, no state files), a fake Telegram with one group\'s flood control',
    '(20 messages in any 60 s, then 429 with retry_after). Node 3\'s check fails 2 s after every watcher',
    'finished two rounds (fresh start: every watcher has just sent its start-up alerts); the',
    'figure is the time from then to the first 200 answer to a message naming it. "Messages naming the failed',
    'node": delivered in the 10 s after that first one (default and digest: one per watcher that sees it;',
    'alertmanager: one per group). Start-up: requests before the failure. Alertmanager mode: two',
    'Alertmanagers in HA (packaging/alertmanager/alertmanager.yml, group_wait 2 s, group_interval 10 s).',
  );
  return `${lines.join('\n')}\n`;
}

function writeSection(table) {
  const file = path.join(root, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = `## alerts: large meshes\n\n${table}\n`;
  const re = /## alerts: large meshes\n[\s\S]*?(?=\n## |$)/;
  writeFileSync(file, re.test(text) ? text.replace(re, section.trimEnd() + '\n') : `${text.trimEnd()}\n\n${section}`);
}

// ------------------------------------------------------------------ inner: one mode, one size

async function inner(mode, n, binDir, work) {
  const fs = await import('node:fs');
  const net = await import('node:net');
  const https = await import('node:https');
  const { isolateResolver } = await import('../test/support/isolate.ts');
  const { routerResponse, statusSummaryBody } = await import('../test/support/peers.ts');

  const nodes = Array.from({ length: n }, (_, i) => `127.0.1.${i + 1}`);
  const failing = nodes[2];
  const ca = path.join(work, 'tls', 'ca.pem');
  const run = mkdtempSync(path.join(work, `${mode}-${n}-`));
  isolateResolver({ dir: path.join(run, 'etc'), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...nodes.map((a) => `${a} peers.test`)], caBundle: ca });

  // One probe server per node address, as in a real mesh: one server for all of them would
  // get N x (N-1) connections at once each round, past its listen backlog at 24 nodes.
  let failOn = false;
  const probes = [];
  for (const address of nodes) {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => {
        const bad = failOn && address === failing;
        s.end(routerResponse('200 OK', 'application/json', statusSummaryBody([{ url: 'http://svc.test/health', code: bad ? '500' : '200', ok: !bad }])));
      });
    });
    await new Promise((r) => server.listen({ port: 5988, host: address, backlog: 1024 }, r));
    probes.push(server);
  }

  // Telegram with one group's flood control: 20 messages in any 60 s.
  const accepted = [];
  const log = [];
  const message = { message_id: 1, from: { id: 1, is_bot: true, first_name: 'bot' }, chat: { id: -100, type: 'group' }, date: 1764633600, text: 'x' };
  const telegram = https.createServer({ key: fs.readFileSync(path.join(work, 'tls', 'key.pem')), cert: fs.readFileSync(path.join(work, 'tls', 'cert.pem')) }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const text = String(req.headers['content-type'] ?? '').includes('json') ? String(JSON.parse(body).text) : (new URLSearchParams(body).get('text') ?? '');
      const now = Date.now();
      while (accepted.length > 0 && accepted[0] <= now - 60_000) accepted.shift();
      let status = 200;
      let answer = JSON.stringify({ ok: true, result: message });
      if (accepted.length >= 20) {
        const after = Math.max(1, Math.ceil((accepted[0] + 60_000 - now) / 1000));
        status = 429;
        answer = JSON.stringify({ ok: false, error_code: 429, description: `Too Many Requests: retry after ${after}`, parameters: { retry_after: after } });
      } else accepted.push(now);
      log.push({ text, status, at: now });
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(answer), Connection: 'close' });
      res.end(answer);
    });
  });
  await new Promise((r) => telegram.listen(443, '127.0.0.1', r));

  const children = [];
  const ams = [
    { web: 9093, cluster: 9095 },
    { web: 9094, cluster: 9096 },
  ];
  if (mode === 'alertmanager') {
    const packaged = readFileSync(path.join(root, 'packaging/alertmanager/alertmanager.yml'), 'utf8');
    const config = packaged
      .replace(/api_url: https:\/\/api\.telegram\.org\n/, `api_url: https://127.0.0.1:443\n        http_config:\n          tls_config:\n            ca_file: ${ca}\n`)
      .replace(/group_wait: \S+/, 'group_wait: 2s')
      .replace(/group_interval: \S+/, 'group_interval: 10s');
    writeFileSync(path.join(run, 'alertmanager.yml'), config);
    ams.forEach((am, i) => {
      const other = ams[1 - i];
      children.push(
        spawn('prometheus-alertmanager', [
          `--config.file=${path.join(run, 'alertmanager.yml')}`,
          `--storage.path=${mkdtempSync(path.join(run, `am${i + 1}-`))}`,
          `--web.listen-address=127.0.0.1:${am.web}`,
          `--cluster.listen-address=127.0.0.1:${am.cluster}`,
          `--cluster.peer=127.0.0.1:${other.cluster}`,
        ], { stdio: 'ignore' }),
      );
    });
    const until = Date.now() + 30_000;
    for (const am of ams) {
      while (Date.now() < until) {
        try {
          if ((await fetch(`http://127.0.0.1:${am.web}/-/ready`)).ok) break;
        } catch {}
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  // Fresh start: the failure comes once every watcher has finished two rounds (its third
  // round's first log line), whatever its start-up alerts became.
  const rounds = new Map();
  for (const self of nodes) {
    const env = {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: run,
      NO_COLOR: '1',
      NODE_EXTRA_CA_CERTS: ca,
      PEERS_DNS: 'peers.test',
      SELF: self,
      TIMEOUT: '5', // the default; the probes answer at once, but a loaded machine must not time them out
      POLLING_INTERVAL_SEC: '1',
      STATE_DIR: path.join(run, `state-${self}`),
      ...(mode === 'alertmanager'
        ? { ALERTMANAGER_URLS: ams.map((am) => `http://127.0.0.1:${am.web}`).join(' ') }
        : { TG_TOKEN: '123:abc', TG_CHAT_ID: '-100', ...(mode === 'digest' ? { DIGEST: '1' } : {}) }),
    };
    const child = spawn(path.join(binDir, 'watcher'), [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => {
      const k = String(d).split('polling peers via').length - 1;
      rounds.set(self, (rounds.get(self) ?? 0) + k);
    });
    children.push(child);
  }
  const startBound = Date.now() + 60_000;
  while (Date.now() < startBound && !nodes.every((a) => (rounds.get(a) ?? 0) >= 3)) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, FAIL_AFTER_MS));
  const failAt = Date.now();
  failOn = true;
  const names = (e) => e.at >= failAt && e.text.includes(`FAIL: http://${failing}:5988`) && e.status === 200;
  const until = failAt + BOUND_MS;
  while (Date.now() < until && !log.some(names)) await new Promise((r) => setTimeout(r, 100));
  const first = log.find(names);
  if (first) await new Promise((r) => setTimeout(r, 10_000));
  const startup = log.filter((e) => e.at < failAt);
  const result = {
    firstFailMs: first ? first.at - failAt : undefined,
    failMessages: first ? log.filter((e) => names(e) && e.at <= first.at + 10_000).length : 0,
    startDelivered: startup.filter((e) => e.status === 200).length,
    startRefused: startup.filter((e) => e.status === 429).length,
    ...(process.env.BENCH_DEBUG ? { log: log.map((e) => ({ ...e, at: e.at - failAt })) } : {}),
  };
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const p of probes) p.close();
  telegram.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
