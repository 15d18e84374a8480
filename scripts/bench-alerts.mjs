#!/usr/bin/env node
// Benchmark of alert latency under Telegram's flood control (issue 10 point 6). N watchers (8
// and 24) share one bot and one group, in one sandbox (unshare: network + mount namespace, lo
// only, private /etc/hosts and resolv.conf, dns2, the fake Telegram of test/support/telegram.ts
// with its flood control on: 20 a minute and 1 a second per chat). Fresh start (empty state
// directories: every node sends an OK for every peer), then 15 s (and 30 s) later the node last in
// DNS order starts reporting a failing check. Measured: seconds from that moment until the
// first FAIL about it is accepted by Telegram, and the messages sent until then (requests that
// reached Telegram / accepted). Every setting is the default (TIMEOUT, POLLING_INTERVAL_SEC).
//
//   node scripts/bench-alerts.mjs [--mode default] [--nodes 8,24] [--sides legacy,port]
//       [--bound 150] [--fail-after 15,30] [--env NAME=value ...] [--write]
//
// --mode picks what the watchers are asked to do; `default` (implemented) runs them as they
// are. Later modes add their own settings on top (e.g. `digest`: DIGEST=1 on every watcher;
// an Alertmanager mode), see MODES. --env NAME=value (repeatable) is passed to every watcher
// of both sides. --write replaces the "## alerts (<mode>)" section of BENCHMARKS.md.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { binDirs, flag, option, root } from './lib/bench.mjs';

const args = process.argv.slice(2);

/** What each mode adds to every watcher's environment (and whether it is implemented yet). */
const MODES = {
  default: { env: {}, title: 'no new settings' },
  // digest: { env: { DIGEST: '1' }, title: 'DIGEST=1' },          (issue 11)
  // alertmanager: { env: { ALERTMANAGER_URLS: ... }, title: ... }, (issue 11)
};

const MODE = option('mode', 'default');
const BOUND_S = Number(option('bound', '150'));
const FAIL_AFTERS_S = option('fail-after', '15,30').split(',').map(Number);
const NODES = option('nodes', '8,24').split(',').map(Number);
const SIDES = option('sides', 'legacy,port').split(',');
const TARGET = { 24: 'FAIL <= 60 s' };

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

if (args[0] === '--inner') {
  await inner(JSON.parse(args[1]));
} else {
  await outer();
}

// ------------------------------------------------------------------ outer: run and tabulate

async function outer() {
  const mode = MODES[MODE];
  if (!mode) throw new Error(`--mode ${MODE}: not implemented (modes: ${Object.keys(MODES).join(', ')})`);
  const extraEnv = { ...mode.env, ...envOptions() };
  const { legacy: legacyBin, port: portBin } = binDirs();
  const sides = [
    ['legacy', legacyBin],
    ['port', portBin],
  ].filter(([side, dir]) => SIDES.includes(side) && existsSync(path.join(dir, 'watcher')));
  if (!sides.some(([s]) => s === 'port')) throw new Error(`no port watcher in ${portBin} (npm run build)`);
  const work = mkdtempSync(path.join(tmpdir(), 'bench-alerts-'));
  const rows = [];
  try {
    execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('${root}/test/support/tls.ts').then(m => m.makeTestCa('${work}/tls'))`], { cwd: root });
    for (const failAfterS of FAIL_AFTERS_S) {
      for (const nodes of NODES) {
        for (const [side, binDir] of sides) {
          process.stderr.write(`bench-alerts: ${MODE} ${nodes} nodes ${side}, failing after ${failAfterS} s ...\n`);
          rows.push({ nodes, side, failAfterS, ...(await runInner({ nodes, side, binDir, work, env: extraEnv, failAfterS })) });
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = render(rows, extraEnv);
  process.stdout.write(table);
  if (flag('write')) writeSection(table);
}

function runInner(spec) {
  const child = spawn('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url), '--inner', JSON.stringify(spec)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // Past the bound: TERM lets the inner stop its watchers (their own process groups), then KILL.
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {}
  };
  let kill;
  const bound = setTimeout(() => {
    signal('SIGTERM');
    kill = setTimeout(() => signal('SIGKILL'), 5000);
  }, (spec.failAfterS + BOUND_S + 60) * 1000);
  return new Promise((resolve) => {
    child.on('close', () => {
      clearTimeout(bound);
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve(line ? JSON.parse(line) : { error: 'no result' });
    });
  });
}

function render(rows, env) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const settings = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
  const lines = [
    `Mode \`${MODE}\` (${MODES[MODE].title}; extra watcher settings: ${settings}). Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpu}), Node ${process.version}; \`npm run bench:alerts\`.`,
    '',
    '| nodes | fails after (s) | side | first FAIL accepted after (s) | requests to Telegram until then | accepted until then | target |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const latency = r.error ? r.error : r.latencyS === null ? `> ${BOUND_S} s` : r.latencyS.toFixed(1);
    const until = r.latencyS === null ? '(all)' : '';
    lines.push(
      `| ${r.nodes} | ${r.failAfterS} | ${r.side} | ${latency} | ${r.requestsUntil ?? ''}${until && r.requestsUntil !== undefined ? ' ' + until : ''} | ${r.acceptedUntil ?? ''} | ${r.side === 'port' ? (TARGET[r.nodes] ?? '') : ''} |`,
    );
  }
  lines.push(
    '',
    `All N watchers start at once with empty state directories (each sends an OK for each of its N-1 peers: N×(N-1)`,
    `messages); 15 s (or 30 s, when the legacy side has filled Telegram's minute window) later the node last in DNS order fails a check. Latency: from that moment`,
    'until Telegram (the fake, flood control 20/min and 1/s per chat, 429 with retry_after until a slot frees) accepts the',
    `first FAIL naming it; bounded at ${BOUND_S} s. Requests: sendMessage requests that reached the fake, accepted: those it`,
    'answered 200. The legacy watcher posts every alert once and writes the state whatever Telegram answered: what flood',
    'control refuses is lost. The port keeps what was not accepted and, while Telegram throttles, sends FAILs first (D34).',
  );
  return `${lines.join('\n')}\n`;
}

function writeSection(table) {
  const file = path.join(root, 'BENCHMARKS.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const heading = `## alerts (${MODE})`;
  const section = `${heading}\n\n${table}`;
  const re = new RegExp(`${heading.replace(/[()]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  writeFileSync(file, re.test(text) ? text.replace(re, section.trimEnd() + '\n') : `${text.trimEnd()}\n\n${section}`);
}

// ------------------------------------------------------------------ inner: one side, N nodes

async function inner({ nodes, side, binDir, work, env, failAfterS }) {
  const { statusSummaryBody } = await import('../test/support/peers.ts');
  const { startFakeTelegram } = await import('../test/support/telegram.ts');
  const { startDnsServer } = await import('../test/support/dns.ts');
  const { isolateResolver } = await import('../test/support/isolate.ts');
  const net = await import('node:net');
  const fs = await import('node:fs');

  const addresses = Array.from({ length: nodes }, (_, i) => `127.0.2.${i + 1}`);
  const failing = addresses[addresses.length - 1]; // last in DNS order
  const ca = path.join(work, 'tls', 'ca.pem');
  isolateResolver({ dir: path.join(work, `etc-${nodes}-${side}-${failAfterS}`), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org'], caBundle: ca });
  const dns = await startDnsServer({ records: { 'peers.test': { A: addresses } } });

  let failAt = 0; // Date.now() when the failing node starts failing
  let acceptedAt = 0;
  let requestsUntil = 0;
  let acceptedUntil = 0;
  let resolveFail;
  const failAccepted = new Promise((r) => (resolveFail = r));
  const failPrefix = `FAIL: http://${failing}:5988 `;
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(work, 'tls', 'key.pem')),
    cert: fs.readFileSync(path.join(work, 'tls', 'cert.pem')),
    api: {},
    onRequest(r) {
      if (acceptedAt !== 0) return;
      requestsUntil += 1;
      if (r.answer === 'ok') acceptedUntil += 1;
      if (failAt !== 0 && r.answer === 'ok' && r.text.startsWith(failPrefix)) {
        acceptedAt = Date.now();
        resolveFail();
      }
    },
  });

  const healthy = statusSummaryBody([{ url: 'http://127.0.0.1:8080/health', code: '200', ok: true }]);
  const broken = statusSummaryBody([{ url: 'http://127.0.0.1:8080/health', code: '500', ok: false }]);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const body = failAt !== 0 && s.localAddress === failing ? broken : healthy;
      s.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  await new Promise((r) => server.listen(5988, '0.0.0.0', r));

  const children = addresses.map((self, i) => {
    const stateDir = path.join(work, `state-${nodes}-${side}-${failAfterS}-${i}`); // fresh for every run
    fs.mkdirSync(stateDir, { recursive: true });
    const child = spawn(path.join(binDir, 'watcher'), [], {
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
        NODE_EXTRA_CA_CERTS: ca,
        PEERS_DNS: 'peers.test',
        TG_TOKEN: '123:abc',
        TG_CHAT_ID: '-100',
        SELF: self,
        STATE_DIR: stateDir,
        HOME: work,
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    child.on('error', () => {});
    return child;
  });

  const stopAll = (sig) => {
    for (const c of children) {
      try {
        process.kill(-c.pid, sig);
      } catch {}
    }
  };
  process.on('SIGTERM', () => {
    stopAll('SIGKILL');
    process.exit(1);
  });

  await new Promise((r) => setTimeout(r, failAfterS * 1000));
  failAt = Date.now();
  const bound = new Promise((r) => setTimeout(r, BOUND_S * 1000));
  await Promise.race([failAccepted, bound]);
  stopAll('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  stopAll('SIGKILL');
  server.close();
  await Promise.all([dns.close(), telegram.close()]);
  const result = {
    latencyS: acceptedAt !== 0 ? (acceptedAt - failAt) / 1000 : null,
    requestsUntil,
    acceptedUntil,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
