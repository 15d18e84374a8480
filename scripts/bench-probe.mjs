#!/usr/bin/env node
// Benchmark of the probe (figures in BENCHMARKS.md): the legacy probe (socat + dash router), the port
// probe, and a minimal node TCP server answering the same fixed bytes (the runtime's ceiling),
// same run, same load (wrk), for three scenarios at 10 and 100 clients. Then `router` run
// once (start, answer, exit) against `node -e 0` with hyperfine. Prints markdown tables.
//
//   node scripts/bench-probe.mjs [--duration 5] [--legacy-bin build/legacy/bin] [--port-bin dist/bin]
//
// Everything listens on 127.0.0.1; every process started is stopped by its PID.
import { spawn, execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { binDirs, machine, option, root, table } from './lib/bench.mjs';

const { freePort, waitForPort } = await import('./lib/net.ts');
const { run, stopProcess } = await import('./lib/process.ts');

const DURATION = Number(option('duration', '5'));
const { legacy: LEGACY_BIN, port: PORT_BIN } = binDirs();
const CLIENTS = [10, 100];

/** One raw exchange: what a server answers to `request` (bounded). */
function rawExchange(port, request) {
  return new Promise((resolve) => {
    const chunks = [];
    const socket = createConnection({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => socket.destroy(), 10000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('close', () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    socket.on('error', () => {});
    socket.write(request);
  });
}

/** Sum of VmRSS (kB) over the process and its descendants. */
function treeRssKb(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process ended while the tree was read
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop();
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${current}/status`, 'latin1'));
      total += match ? Number(match[1]) : 0;
    } catch {
      // the process ended while the tree was read
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

function hwmKb(pid) {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function startServer(command, argv, env) {
  const port = await freePort();
  // Its own process group, stopped as a whole: the legacy probe runs socat as a child (not
  // exec'd, docs/behaviour.md §5), so ending the probe's own PID would leave socat listening.
  const child = spawn(command, argv, {
    env: { PATH: process.env.PATH, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  await waitForPort('127.0.0.1', port, 5000, true, 25);
  return { port, child };
}

const stopServer = (child) => stopProcess(child, { group: true, graceMs: 5000 });

async function runWrk(port, urlPath, clients) {
  const args = ['-t2', `-c${clients}`, `-d${DURATION}s`, '--latency', `http://127.0.0.1:${port}${urlPath}`];
  return (await run('wrk', args, { timeoutMs: (DURATION + 60) * 1000 })).stdout.toString('utf8');
}

function toMs(text) {
  const match = /([\d.]+)(us|ms|s)/.exec(text ?? '');
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1]);
  const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1]);
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors, non2xx };
}

/** Runs wrk against a started server while sampling its RSS. */
async function measure(server, urlPath, clients) {
  let peak = treeRssKb(server.child.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssKb(server.child.pid))), 100);
  const out = await runWrk(server.port, urlPath, clients);
  clearInterval(sampler);
  peak = Math.max(peak, hwmKb(server.child.pid));
  return { ...parseWrk(out), rssMb: peak / 1024 };
}

// ---- local check targets for the three-URL scenario: their own process, so this process's
// RSS sampling never delays them.
const work = mkdtempSync(path.join(tmpdir(), 'bench-probe-'));
const targetScript = path.join(work, 'targets.mjs');
writeFileSync(
  targetScript,
  `import http from 'node:http';
http.createServer((req, res) => res.end('ok\\n')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`,
);
const targets = await startServer(process.execPath, [targetScript], {});
const targetBase = `http://127.0.0.1:${targets.port}`;

const SCENARIOS = [
  { name: 'GET /status, no URLS', path: '/status', env: {} },
  { name: 'GET /, one volume', path: '/', env: { VOLUMES: '/' } },
  { name: 'GET /status, 3 local URLs', path: '/status', env: { URLS: `${targetBase}/a ${targetBase}/b ${targetBase}/c`, TIMEOUT: '2' } },
];

const minimalScript = path.join(work, 'minimal.mjs');
writeFileSync(
  minimalScript,
  `import net from 'node:net';
import { readFileSync } from 'node:fs';
const answer = readFileSync(process.argv[2]);
net.createServer((s) => { s.on('error', () => {}); s.once('data', () => s.end(answer)); })
  .listen(Number(process.env.PORT), '0.0.0.0');
process.on('SIGTERM', () => process.exit(0));
`,
);

const kinds = [];
if (existsSync(path.join(LEGACY_BIN, 'probe'))) kinds.push('legacy');
else console.error(`(no legacy probe in ${LEGACY_BIN}: run node scripts/build-legacy.mjs; legacy column skipped)`);
kinds.push('port', 'minimal');

// The minimal server runs with the node flags of the port's shebang: same runtime settings.
const shebang = readFileSync(path.join(PORT_BIN, 'probe'), 'latin1').split('\n')[0];
const portNodeFlags = shebang.split(/\s+/).filter((word) => word.startsWith('--'));

const rows = [];
try {
  for (const scenario of SCENARIOS) {
    // The minimal server answers exactly the bytes the port answers for this scenario.
    const sample = await startServer(path.join(PORT_BIN, 'probe'), [], scenario.env);
    const answerFile = path.join(work, `answer-${SCENARIOS.indexOf(scenario)}`);
    writeFileSync(answerFile, await rawExchange(sample.port, `GET ${scenario.path} HTTP/1.1\r\nHost: bench\r\n\r\n`));
    await stopServer(sample.child);
    for (const clients of CLIENTS) {
      for (const kind of kinds) {
        const server =
          kind === 'legacy'
            ? await startServer(path.join(LEGACY_BIN, 'probe'), [], scenario.env)
            : kind === 'port'
              ? await startServer(path.join(PORT_BIN, 'probe'), [], scenario.env)
              : await startServer(process.execPath, [...portNodeFlags, minimalScript, answerFile], {});
        try {
          await rawExchange(server.port, `GET ${scenario.path} HTTP/1.1\r\n\r\n`); // warm-up
          const result = await measure(server, scenario.path, clients);
          rows.push({ scenario: scenario.name, clients, kind, ...result });
          process.stderr.write(`${scenario.name} c=${clients} ${kind}: ${result.rps} req/s\n`);
        } finally {
          await stopServer(server.child);
        }
      }
    }
  }
} finally {
  await stopServer(targets.child);
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const cells = rows.map((row) => {
  const peer = (kind) => rows.find((r) => r.scenario === row.scenario && r.clients === row.clients && r.kind === kind);
  const legacy = peer('legacy');
  const minimal = peer('minimal');
  const vsLegacy = row.kind === 'port' && legacy ? `${fmt(row.rps / legacy.rps, 1)}x` : '';
  const vsMinimal = row.kind === 'port' && minimal ? `${fmt((100 * row.rps) / minimal.rps, 0)}%` : '';
  const errors = [row.errors, row.non2xx ? `non-2xx ${row.non2xx}` : ''].filter(Boolean).join('; ');
  return [row.scenario, row.clients, row.kind, fmt(row.rps, 0), fmt(row.p50), fmt(row.p99), fmt(row.rssMb, 1), vsLegacy, vsMinimal, errors];
});
const headers = ['scenario', 'clients', 'server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'port/legacy', 'port/minimal', 'errors'];
console.log(`\n${table(headers, 'lrlrrrrrrl', cells)}`);

// ---- router single run vs node -e 0 (hyperfine; both through the same shell, corrected)
const requestFile = path.join(work, 'request');
writeFileSync(requestFile, 'GET /status HTTP/1.1\r\n\r\n');
const jsonFile = path.join(work, 'hyperfine.json');
const commands = ['node -e 0', `${path.join(PORT_BIN, 'router')} < ${requestFile} > /dev/null`];
if (existsSync(path.join(LEGACY_BIN, 'router'))) commands.push(`${path.join(LEGACY_BIN, 'router')} < ${requestFile} > /dev/null`);
execFileSync('hyperfine', ['--warmup', '5', '--runs', '40', '--export-json', jsonFile, ...commands], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const results = JSON.parse(readFileSync(jsonFile, 'utf8')).results;
const base = results[0].mean;
const timings = results.map((result) => {
  const name = result.command.replace(root + '/', '').replace(requestFile, '<GET /status>');
  return [`\`${name}\``, fmt(result.mean * 1000, 1), fmt(result.stddev * 1000, 1), `${fmt(result.mean / base, 2)}x`];
});
console.log(`\n${table(['command', 'mean ms', '± ms', 'vs node -e 0'], 'lrrr', timings)}`);
console.log(`\nmachine: ${machine()}, ${Math.round(totalmem() / 2 ** 30)} GiB, wrk -t2 -d${DURATION}s`);
rmSync(work, { recursive: true, force: true });
