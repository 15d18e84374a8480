#!/usr/bin/env node
// Benchmark of alert latency on one bot and one group (issue 10 point 6, issue 11 point 5):
// seconds from a failure to the first FAIL about it that Telegram accepts, and the messages it
// took. Each run in its own sandbox (unshare: PID, network and mount namespaces, lo only,
// private /etc/hosts and resolv.conf, dns2 answering peers.test with N addresses 127.0.2.1..N,
// one fake probe per address, the fake Telegram of scripts/lib/telegram.ts with its flood
// control on: 20 a minute and 1 a second in the group, 429 with retry_after). N watchers start
// at once with empty state directories (a fresh start: each sends an OK for each of its N-1
// peers), every setting at its default (TIMEOUT 5, POLLING_INTERVAL_SEC 3) plus the mode's own;
// --fail-after seconds later the node last in DNS order starts failing its one check.
//
//   default       every watcher sends every change (the originals' design); legacy and port
//   digest        DIGEST=1 (port only: the legacy row shows its default-mode figure)
//   alertmanager  ALERTMANAGER_URLS: two Alertmanagers in HA (Debian's prometheus-alertmanager,
//                 packaging/alertmanager/alertmanager.yml, group_wait 2 s, group_interval 10 s)
//                 send to the group (port only, as digest)
//
//   npm run bench:alerts [-- --mode default|digest|alertmanager|all] [--nodes 8,24]
//       [--fail-after 15,30] [--sides legacy,port] [--bound 120] [--env NAME=value ...] [--write]
//
// --env NAME=value (repeatable) goes to every watcher of both sides. --write replaces the
// "## alerts" section of BENCHMARKS.md. Every run is bounded (--bound seconds after the failure,
// plus start-up); past it the run's PID namespace is killed, and everything in it with it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { binDirs, flag, list, machine, option, root, runInner, table, writeSection } from './lib/bench.mjs';

const args = process.argv.slice(2);

/** What each mode adds to every port watcher's environment, and issue 10/11's targets (s, by node count). */
const MODES = {
  default: { title: 'no new settings', target: { 24: 60 } },
  digest: { title: 'DIGEST=1', env: { DIGEST: '1' }, target: { 8: 10 } },
  alertmanager: { title: 'ALERTMANAGER_URLS, two Alertmanagers in HA, group_wait 2 s', target: { 24: 10 } },
};
const AMS = [
  { web: 9093, cluster: 9095 },
  { web: 9094, cluster: 9096 },
];
const WINDOW_S = 10; // messages naming the failed node are counted this long after the first
const BOUND_S = Number(option('bound', '120'));

if (args[0] === '--inner') await inner(JSON.parse(args[1]));
else {
  // A bad option is a line naming it, not a stack trace.
  await outer().catch((err) => {
    process.stderr.write(`bench-alerts: ${err.message}\n`);
    process.exit(2);
  });
}

// ------------------------------------------------------------------ outer: plan, run, tabulate

/** Every `--env NAME=value`. */
function envOptions() {
  const env = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--env') continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(args[i + 1] ?? '');
    if (!m) throw new Error(`--env wants NAME=value, got ${JSON.stringify(args[i + 1] ?? '')}`);
    env[m[1]] = m[2];
  }
  return env;
}

async function outer() {
  const modeArg = option('mode', 'default');
  const modes = modeArg === 'all' ? Object.keys(MODES) : list('mode', 'default', (m) => m in MODES);
  const nodesList = list('nodes', '8,24', (n) => /^\d+$/.test(n) && Number(n) >= 2 && Number(n) <= 250).map(Number);
  const failAfters = list('fail-after', '15,30', (s) => /^\d+$/.test(s)).map(Number);
  const sides = list('sides', 'legacy,port', (s) => s === 'legacy' || s === 'port');
  const env = envOptions();
  const bins = binDirs();
  if (!existsSync(path.join(bins.port, 'watcher'))) throw new Error(`no port watcher in ${bins.port} (npm run build)`);
  const legacy = sides.includes('legacy') && existsSync(path.join(bins.legacy, 'watcher'));
  if (sides.includes('legacy') && !legacy)
    process.stderr.write(`bench-alerts: no legacy watcher in ${bins.legacy} (npm run build:legacy): port only\n`);

  // The legacy watcher has one mode: it runs once per size and delay, its figure compared with every mode's.
  const plan = [];
  for (const failAfterS of failAfters) {
    for (const nodes of nodesList) {
      if (legacy) plan.push({ mode: 'default', side: 'legacy', binDir: bins.legacy, nodes, failAfterS });
      if (sides.includes('port')) for (const mode of modes) plan.push({ mode, side: 'port', binDir: bins.port, nodes, failAfterS });
    }
  }
  const work = mkdtempSync(path.join(tmpdir(), 'bench-alerts-'));
  const results = [];
  const loads = [];
  const started = new Date();
  try {
    const { makeTestCa } = await import('./lib/tls.ts');
    makeTestCa(path.join(work, 'tls'));
    for (const [i, run] of plan.entries()) {
      process.stderr.write(
        `bench-alerts: [${i + 1}/${plan.length}] ${run.mode} ${run.nodes} nodes ${run.side}, failing after ${run.failAfterS} s ...`,
      );
      // Past the bound: TERM lets the inner stop its processes in order, then KILL (the PID
      // namespace goes with its init, and everything in it).
      const startupS = 60 + (run.mode === 'alertmanager' ? 30 : 0);
      const result = await runInner(
        fileURLToPath(import.meta.url),
        [JSON.stringify({ ...run, work, env: { ...MODES[run.mode].env, ...env } })],
        {
          boundMs: (startupS + run.failAfterS + BOUND_S + WINDOW_S) * 1000,
          graceMs: 5000,
          namespaces: { pid: true },
        },
      );
      loads.push(loadavg()[0]);
      process.stderr.write(
        ` ${result.error ?? (result.firstFailMs === null ? 'no FAIL' : `${(result.firstFailMs / 1000).toFixed(1)} s`)}\n`,
      );
      results.push({ ...run, ...result });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const section = render({ results, modes, nodesList, failAfters, legacy, env, started, loads });
  process.stdout.write(section);
  // It supersedes the two sections it came from.
  if (flag('write')) writeSection('alerts', section, ['alerts (default)', 'alerts: large meshes']);
}

function render({ results, modes, nodesList, failAfters, legacy, env, started, loads }) {
  const find = (mode, side, nodes, failAfterS) =>
    results.find((r) => r.mode === mode && r.side === side && r.nodes === nodes && r.failAfterS === failAfterS);
  const seconds = (r) => (r.error ? r.error : r.firstFailMs === null ? `> ${BOUND_S} (never)` : (r.firstFailMs / 1000).toFixed(1));
  const settings = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const load = loads.length ? `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}` : '?';
  const rows = [];
  for (const mode of modes) {
    for (const failAfterS of failAfters) {
      for (const nodes of nodesList) {
        const l = legacy ? find('default', 'legacy', nodes, failAfterS) : undefined;
        const p = find(mode, 'port', nodes, failAfterS);
        const target = MODES[mode].target[nodes];
        if (l) {
          const side = mode === 'default' ? 'legacy' : 'legacy (default: has no such mode)';
          rows.push([mode, nodes, failAfterS, side, seconds(l), counts(l), '', '']);
        }
        if (p) {
          const met =
            target === undefined
              ? ''
              : p.firstFailMs !== null && p.firstFailMs !== undefined && p.firstFailMs <= target * 1000
                ? 'yes'
                : 'no';
          rows.push([mode, nodes, failAfterS, 'port', seconds(p), counts(p), target === undefined ? '' : `≤ ${target} s`, met]);
        }
      }
    }
  }
  const lines = [
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}, 1-minute load average ${load} at the runs' ends (other work on the machine); \`npm run bench:alerts${args.length ? ` -- ${args.join(' ')}` : ''}\`${settings ? ` (on every watcher: ${settings})` : ''}.`,
    '',
    table(
      [
        'mode',
        'nodes',
        'fails after (s)',
        'side',
        'failure → first FAIL delivered (s)',
        'messages naming it in the next 10 s / requests to Telegram until the first (accepted)',
        'target',
        'met?',
      ],
      'lrrlrlll',
      rows,
    ),
  ];
  lines.push(
    '',
    'Each run: N watchers on one bot and one group, in a sandbox of their own (lo only, dns2, one fake probe per',
    'address, the fake Telegram of scripts/lib/telegram.ts with its flood control: 20 messages a minute and 1 a',
    'second, then 429 with retry_after until a slot frees). Fresh start (empty state directories: N×(N−1) OKs',
    'to send), every setting at its default plus the mode\'s; "fails after" seconds later the node last in DNS',
    'order fails its one check. Figure: from then until Telegram answers 200 to a message naming it as FAIL',
    `(bounded at ${BOUND_S} s). Messages: those accepted naming it in the ${WINDOW_S} s after the first (default: one per watcher`,
    'that got through; digest: one digest per watcher; alertmanager: one per group). Requests: every sendMessage',
    'that reached Telegram from the start until that first FAIL, and how many it accepted. The legacy watcher',
    'posts each alert once and writes the state whatever Telegram answered (what flood control refuses is lost);',
    'the port keeps what was not accepted and, while Telegram throttles, sends FAILs first (D34). The legacy',
    'watcher has no digest or Alertmanager mode: its rows there repeat its default-mode figure.',
  );
  return `${lines.join('\n')}\n`;
}

function counts(r) {
  if (r.error) return '';
  const until = r.firstFailMs === null ? ' (whole run)' : '';
  return `${r.failMessages} / ${r.requestsUntil} (${r.acceptedUntil})${until}`;
}

// ------------------------------------------------------------------ inner: one mode, side, size

async function inner({ mode, side, binDir, nodes, failAfterS, work, env }) {
  const fs = await import('node:fs');
  const net = await import('node:net');
  const { routerResponse, statusSummaryBody } = await import('./lib/peers.ts');
  const { startFakeTelegram } = await import('./lib/telegram.ts');
  const { startDnsServer } = await import('./lib/dns.ts');
  const { isolateResolver } = await import('./lib/isolate.ts');
  const { killProcess, sleep } = await import('./lib/process.ts');

  const addresses = Array.from({ length: nodes }, (_, i) => `127.0.2.${i + 1}`);
  const failing = addresses[addresses.length - 1]; // last in DNS order
  const ca = path.join(work, 'tls', 'ca.pem');
  const run = mkdtempSync(path.join(work, `${mode}-${side}-${nodes}-${failAfterS}-`));
  isolateResolver({ dir: path.join(run, 'etc'), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org'], caBundle: ca });

  const children = []; // every process started here, each the leader of its own process group
  const stopAll = async () => {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      for (const c of children) killProcess(c.pid, sig, true);
      if (sig === 'SIGTERM') await sleep(500);
    }
  };
  process.on('SIGTERM', () => stopAll().then(() => process.exit(1)));

  const dns = await startDnsServer({ records: { 'peers.test': { A: addresses } } });

  // Telegram: every request recorded with its time; the measure reads the log afterwards.
  const log = [];
  let failAt = 0;
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(work, 'tls', 'key.pem')),
    cert: fs.readFileSync(path.join(work, 'tls', 'cert.pem')),
    api: {},
    onRequest: (r) => log.push({ at: Date.now(), ok: r.answer === 'ok', text: r.text }),
  });

  // One probe per node address, as in a real mesh: one server for all of them would get
  // N×(N−1) connections at once each round, past its listen backlog at 24 nodes.
  const healthy = routerResponse(
    '200 OK',
    'application/json',
    statusSummaryBody([{ url: 'http://svc.test/health', code: '200', ok: true }]),
  );
  const broken = routerResponse(
    '200 OK',
    'application/json',
    statusSummaryBody([{ url: 'http://svc.test/health', code: '500', ok: false }]),
  );
  const probes = [];
  for (const address of addresses) {
    const server = net.createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => s.end(failAt !== 0 && address === failing ? broken : healthy));
    });
    await new Promise((r) => server.listen({ port: 5988, host: address, backlog: 1024 }, r));
    probes.push(server);
  }

  if (mode === 'alertmanager') {
    const config = path.join(run, 'alertmanager.yml');
    fs.writeFileSync(config, alertmanagerConfig(readFileSync(path.join(root, 'packaging/alertmanager/alertmanager.yml'), 'utf8'), ca));
    AMS.forEach((am, i) => {
      const child = spawn(
        'prometheus-alertmanager',
        [
          `--config.file=${config}`,
          `--storage.path=${mkdtempSync(path.join(run, `am${i + 1}-`))}`,
          `--web.listen-address=127.0.0.1:${am.web}`,
          `--cluster.listen-address=127.0.0.1:${am.cluster}`,
          `--cluster.peer=127.0.0.1:${AMS[1 - i].cluster}`,
        ],
        { detached: true, stdio: 'ignore' },
      );
      child.on('error', () => {});
      children.push(child);
    });
    const until = Date.now() + 30_000;
    for (const am of AMS) {
      while (Date.now() < until) {
        try {
          if ((await fetch(`http://127.0.0.1:${am.web}/-/ready`)).ok) break;
        } catch {
          /* not yet */
        }
        await sleep(200);
      }
    }
  }

  const startedAt = Date.now();
  for (const [i, self] of addresses.entries()) {
    const stateDir = path.join(run, `state-${i + 1}`);
    fs.mkdirSync(stateDir);
    const child = spawn(path.join(binDir, 'watcher'), [], {
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
        HOME: run,
        NO_COLOR: '1',
        NODE_EXTRA_CA_CERTS: ca,
        PEERS_DNS: 'peers.test',
        SELF: self,
        STATE_DIR: stateDir,
        ...(mode === 'alertmanager'
          ? { ALERTMANAGER_URLS: AMS.map((am) => `http://127.0.0.1:${am.web}`).join(' ') }
          : { TG_TOKEN: '123:abc', TG_CHAT_ID: '-100' }),
        ...env,
      },
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    children.push(child);
  }

  await sleep(startedAt + failAfterS * 1000 - Date.now());
  failAt = Date.now();
  const names = (e) => e.ok && e.at >= failAt && e.text.includes(`FAIL: http://${failing}:5988`);
  while (Date.now() < failAt + BOUND_S * 1000 && !log.some(names)) await sleep(100);
  const first = log.find(names);
  if (first) await sleep(first.at + WINDOW_S * 1000 - Date.now());
  await stopAll();

  const untilFirst = first ? log.filter((e) => e.at <= first.at) : log;
  const result = {
    firstFailMs: first ? first.at - failAt : null,
    failMessages: first ? log.filter((e) => names(e) && e.at <= first.at + WINDOW_S * 1000).length : 0,
    requestsUntil: untilFirst.length,
    acceptedUntil: untilFirst.filter((e) => e.ok).length,
    ...(process.env.BENCH_DEBUG ? { log: log.map((e) => ({ ...e, at: e.at - failAt })) } : {}),
  };
  for (const p of probes) p.close();
  await Promise.all([dns.close(), telegram.close()]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** The packaged Alertmanager configuration, sending to the fake Telegram (test CA, the bench's bot and group) with short timers. */
function alertmanagerConfig(packaged, ca) {
  const edits = [
    [
      /api_url: https:\/\/api\.telegram\.org\n/,
      `api_url: https://127.0.0.1:443\n        http_config:\n          tls_config:\n            ca_file: ${ca}\n`,
    ],
    [/group_wait: \S+/, 'group_wait: 2s'],
    [/group_interval: \S+/, 'group_interval: 10s'],
    [/bot_token: '[^']*'/, "bot_token: '123:abc'"],
    [/chat_id: -?\d+/, 'chat_id: -100'],
  ];
  let text = packaged;
  for (const [re, value] of edits) {
    if (!re.test(text)) throw new Error(`packaging/alertmanager/alertmanager.yml: ${re} not found`);
    text = text.replace(re, value);
  }
  return text;
}
