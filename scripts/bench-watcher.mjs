#!/usr/bin/env node
// Benchmark of the watcher (figures in BENCHMARKS.md): the legacy watcher and the port, same run, each
// in its own sandbox (unshare: network + mount namespace, lo only, private /etc/hosts and
// resolv.conf, dns2, fake Telegram over HTTPS with a test CA, fake peers). Two scenarios:
//   (a) 15 peers, 5 accept and never answer; TIMEOUT=2, POLLING_INTERVAL_SEC=1
//   (b) 1,000 healthy peers on loopback addresses; TIMEOUT=2, POLLING_INTERVAL_SEC=1
//       (legacy too, bounded to 5 minutes)
// State files are pre-seeded with each peer's steady state, so rounds measure polling, not
// alerts. Figures per round are means over the measured rounds (the first round is skipped).
// CPU = utime+stime of the watcher and its reaped children (/proc/<pid>/stat), peak RSS = the
// largest sampled sum of RSS over the watcher's process group (every 100 ms).
//
//   node scripts/bench-watcher.mjs [--legacy-bin build/legacy/bin] [--port-bin dist/bin]
//       [--only a|b] [--sides legacy,port] [--rounds N] [--write]  (--write: BENCHMARKS.md "## watcher")
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { binDirs, flag, list, machine, option, runInner, table, writeSection } from './lib/bench.mjs';

const args = process.argv.slice(2);

const SCENARIOS = {
  a: {
    title: '(a) 15 peers, 5 never answer, TIMEOUT=2, POLLING_INTERVAL_SEC=1',
    peers: 15,
    hanging: 5,
    timeout: 2,
    interval: 1,
    rounds: 4,
    legacyBoundMs: 120_000,
    target: 'period <= 3.3 s',
  },
  b: {
    title: '(b) 1,000 healthy peers, TIMEOUT=2, POLLING_INTERVAL_SEC=1',
    peers: 1000,
    hanging: 0,
    timeout: 2,
    interval: 1,
    rounds: 4,
    legacyBoundMs: 300_000,
    target: 'period <= 4 s, RSS < 120 MB',
  },
};

const ROUNDS = Number(option('rounds', process.env.BENCH_WATCHER_ROUNDS ?? '0'));
if (ROUNDS > 0) for (const sc of Object.values(SCENARIOS)) sc.rounds = ROUNDS;
const SIDES = list('sides', 'legacy,port');

if (args[0] === '--inner') {
  await inner(args[1], args[2], args[3], args[4]);
} else {
  await outer();
}

// ------------------------------------------------------------------ outer: run and tabulate

async function outer() {
  const { legacy: legacyBin, port: portBin } = binDirs();
  const only = option('only', '');
  const sides = [
    ['legacy', legacyBin],
    ['port', portBin],
  ].filter(([side, dir]) => SIDES.includes(side) && existsSync(path.join(dir, 'watcher')));
  if (!sides.some(([s]) => s === 'port')) throw new Error(`no port watcher in ${portBin} (npm run build)`);
  const work = mkdtempSync(path.join(tmpdir(), 'bench-watcher-'));
  const rows = [];
  try {
    const { makeTestCa } = await import('./lib/tls.ts');
    makeTestCa(path.join(work, 'tls'));
    for (const key of Object.keys(SCENARIOS).filter((k) => !only || k === only)) {
      for (const [side, dir] of sides) {
        process.stderr.write(`bench-watcher: ${key} ${side} ...\n`);
        const result = await runInner(fileURLToPath(import.meta.url), [key, side, dir, work], {
          boundMs: SCENARIOS[key].legacyBoundMs + 60_000,
          env: { ...process.env, BENCH_WATCHER_ROUNDS: String(ROUNDS) },
        });
        if (process.env.BENCH_WATCHER_DEBUG) process.stderr.write(`${key} ${side}: ${JSON.stringify(result)}\n`);
        rows.push({ key, side, ...result });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const section = render(rows);
  process.stdout.write(section);
  if (flag('write')) writeSection('watcher', section);
}

function render(rows) {
  const cells = rows.map((r) => {
    const sc = SCENARIOS[r.key];
    const target = r.side === 'port' ? sc.target : '';
    if (r.error || !(r.periods?.length > 0)) {
      return [sc.title, r.side, '0', r.error ?? 'no complete round', '', r.peakRssMb?.toFixed(1) ?? '', target];
    }
    const mean = r.periods.reduce((a, b) => a + b, 0) / r.periods.length;
    return [sc.title, r.side, r.periods.length, mean.toFixed(2), (r.cpuSec / r.periods.length).toFixed(2), r.peakRssMb.toFixed(1), target];
  });
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}; \`node scripts/bench-watcher.mjs\`.`,
    '',
    table(['scenario', 'side', 'rounds measured', 'round period (s)', 'CPU s / round', 'peak RSS (MB)', 'target'], 'lllllll', cells),
    '',
    'Round period: time between consecutive `polling peers via` lines (round + POLLING_INTERVAL_SEC), mean over',
    "the measured rounds (round 1 skipped); state files are pre-seeded with each peer's steady state, so no alert",
    'is sent. CPU: utime+stime of the watcher and its reaped children (curl, jq, getent, ...). Peak RSS: largest',
    "sampled sum over the watcher's process group (100 ms). The legacy side polls peers one after another",
    '(about 5 x TIMEOUT for (a)); the port polls them concurrently (at most 256 at once), each bounded by TIMEOUT.',
    'Each side runs in its own sandbox (unshare: lo only, dns2, fake Telegram over HTTPS, fake peers).',
  ];
  return `${lines.join('\n')}\n`;
}

// ------------------------------------------------------------------ inner: one side, one scenario

async function inner(key, side, binDir, work) {
  const sc = SCENARIOS[key];
  const { routerResponse, statusSummaryBody } = await import('./lib/peers.ts');
  const { startFakeTelegram } = await import('./lib/telegram.ts');
  const { startDnsServer } = await import('./lib/dns.ts');
  const { isolateResolver } = await import('./lib/isolate.ts');
  const { cksum } = await import('../src/compat/cksum.ts');
  const { stopProcess } = await import('./lib/process.ts');
  const net = await import('node:net');
  const fs = await import('node:fs');

  const stateDir = path.join(work, `state-${key}-${side}`);
  fs.mkdirSync(stateDir, { recursive: true });

  // Peers: 127.0.1.1 ... (a /8 on lo answers every 127.x address).
  const addresses = Array.from({ length: sc.peers }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
  const hanging = new Set(addresses.slice(0, sc.hanging));
  const useHostsFile = sc.peers > 100; // 1,000 A records do not fit a UDP answer; NSS files is the same path for getent
  const hosts = ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...(useHostsFile ? addresses.map((a) => `${a} peers.test`) : [])];
  const ca = path.join(work, 'tls', 'ca.pem');
  isolateResolver({ dir: path.join(work, `etc-${key}-${side}`), hosts, caBundle: ca });

  const dns = await startDnsServer({ records: useHostsFile ? {} : { 'peers.test': { A: addresses } } });
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(work, 'tls', 'key.pem')),
    cert: fs.readFileSync(path.join(work, 'tls', 'cert.pem')),
  });
  const answer = routerResponse('200 OK', 'application/json', statusSummaryBody([]));
  // One server on 0.0.0.0 answers every peer address; the hanging ones accept and stay silent.
  const held = new Set();
  const server = net.createServer((s) => {
    s.on('error', () => {});
    if (hanging.has(s.localAddress)) {
      held.add(s);
      s.on('close', () => held.delete(s));
      return;
    }
    s.once('data', () => s.end(answer));
  });
  await new Promise((r) => server.listen(5988, '0.0.0.0', r));
  // Seed each peer's steady state: no alerts, rounds measure polling only.
  for (const a of addresses)
    fs.writeFileSync(path.join(stateDir, `${cksum(`http://${a}:5988`)}.state`), hanging.has(a) ? 'down:0/0:000' : 'up:0/0:200');

  const child = spawn(path.join(binDir, 'watcher'), [], {
    env: {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      NODE_EXTRA_CA_CERTS: ca,
      PEERS_DNS: 'peers.test',
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      SELF: '127.0.0.1',
      TIMEOUT: String(sc.timeout),
      POLLING_INTERVAL_SEC: String(sc.interval),
      STATE_DIR: stateDir,
      HOME: work,
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pgid = child.pid;
  const starts = [];
  const rssByRound = [];
  const pageKb = 4;
  function groupRssKb() {
    let sum = 0;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        if (Number(f[2]) === pgid) sum += Number(f[21]) * pageKb; // pgrp, rss (pages)
      } catch {
        // the process ended while the group was read
      }
    }
    return sum;
  }
  let cpuAtStart = 0;
  let cpuAtEnd = 0;
  let seen = '';
  let stderrTail = '';
  const cpuOf = (pid) => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100; // utime stime cutime cstime
    } catch {
      return 0;
    }
  };
  let done;
  const finished = new Promise((r) => (done = r));
  child.stderr.on('data', (d) => {
    const text = d.toString('utf8');
    stderrTail = (stderrTail + text).slice(-2000);
    seen += text;
    let i;
    while ((i = seen.indexOf('\n')) >= 0) {
      const line = seen.slice(0, i).replace(/\x1b\[[0-9;]*m/g, '');
      seen = seen.slice(i + 1);
      if (!line.startsWith('polling peers via ')) continue;
      starts.push(Date.now());
      rssByRound.push(Math.round(groupRssKb() / 1024));
      if (starts.length === 2) cpuAtStart = cpuOf(pgid);
      if (starts.length >= 2) cpuAtEnd = cpuOf(pgid);
      if (starts.length === sc.rounds + 1) done();
    }
  });
  child.on('close', () => done());
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, groupRssKb());
  }, 100);
  const bound = setTimeout(() => done(), side === 'legacy' ? sc.legacyBoundMs : 120_000);
  await finished;
  clearTimeout(bound);
  clearInterval(sampler);
  await stopProcess(child, { group: true, graceMs: 300 });
  const periods = starts
    .slice(1)
    .map((t, i) => (t - starts[i]) / 1000)
    .slice(1); // skip round 1
  const result = {
    periods,
    cpuSec: cpuAtEnd - cpuAtStart,
    peakRssMb: peakRss / 1024,
    telegramRequests: telegram.requests.length,
    rssMbAtRoundStarts: rssByRound,
    ...(starts.length < 3 ? { error: `only ${Math.max(0, starts.length - 1)} round(s) in the bound`, stderrTail } : {}),
  };
  for (const s of held) s.destroy();
  server.close();
  await Promise.all([dns.close(), telegram.close()]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
