// Inside the namespace (see sandbox.ts): builds the world, runs the watcher from src/ (so the
// tests need no build), drives it round by round and prints what happened as one JSON line.
//   node --import tsx scenario.ts <telegram-down|telegram-refusals|telegram-flood|telegram-slow-body|faulty-peers|dns-timeout|dns-servfail> <workdir>
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startDnsServer, type DnsMode, type RunningDnsServer } from '../../scripts/lib/dns.ts';
import { startFakePeer, statusSummaryBody, type ScriptedPeerReply, type RunningFakePeer } from '../../scripts/lib/peers.ts';
import { startFakeTelegram, type FakeTelegramOptions, type RunningFakeTelegram, type ScriptedReply } from '../../scripts/lib/telegram.ts';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { sleep, stopProcess, waitUntil } from '../../scripts/lib/process.ts';
import { ROOT } from './sandbox.ts';
import { stateFileName } from '../../src/watcher/state.ts';

const [name, work] = process.argv.slice(2) as [string, string];
const tls = { ca: path.join(work, 'tls', 'ca.pem'), cert: path.join(work, 'tls', 'cert.pem'), key: path.join(work, 'tls', 'key.pem') };
const stateDir = path.join(work, 'state');
const ESC = /\x1b\[[0-9;]*m/g;

/** The fake Telegram (127.0.0.1:443, api.telegram.org in the world's hosts file) with the test CA's certificate. */
function fakeTelegram(options: Omit<FakeTelegramOptions, 'key' | 'cert'> = {}): Promise<RunningFakeTelegram> {
  return startFakeTelegram({ key: fs.readFileSync(tls.key), cert: fs.readFileSync(tls.cert), ...options });
}

function world(hosts: string[], resolvOptions: string): void {
  isolateResolver({ dir: path.join(work, 'etc'), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...hosts], resolvOptions });
}

interface Watcher {
  readonly child: ChildProcess;
  /** ms (since the scenario started) of each `polling peers via` line. */
  readonly rounds: number[];
  stderr(): string;
  waitRound(n: number, boundMs: number): Promise<void>;
  stop(): Promise<string>;
}

const t0 = Date.now();

function startWatcher(env: Record<string, string>, onRound: (n: number) => void): Watcher {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/watcher.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_EXTRA_CA_CERTS: tls.ca,
      STATE_DIR: stateDir,
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const chunks: Buffer[] = [];
  const rounds: number[] = [];
  let seen = '';
  const waiters: Array<() => void> = [];
  child.stderr?.on('data', (d: Buffer) => {
    chunks.push(d);
    seen += d.toString('utf8');
    let i: number;
    while ((i = seen.indexOf('\n')) >= 0) {
      const line = seen.slice(0, i).replace(ESC, '');
      seen = seen.slice(i + 1);
      if (line.startsWith('polling peers via ')) {
        rounds.push(Date.now() - t0);
        onRound(rounds.length);
        for (const w of waiters.splice(0)) w();
      }
    }
  });
  const exited = new Promise<string>((resolve) =>
    child.on('close', (code, signal) => resolve(signal ? `signal ${signal}` : `exit ${code}`)),
  );
  return {
    child,
    rounds,
    stderr: () => Buffer.concat(chunks).toString('utf8').replace(ESC, ''),
    async waitRound(n, boundMs) {
      const deadline = Date.now() + boundMs;
      while (rounds.length < n) {
        if (Date.now() > deadline) throw new Error(`round ${n} not reached in ${boundMs} ms:\n${this.stderr()}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    async stop() {
      await stopProcess(child, { graceMs: 5000 });
      return exited;
    },
  };
}

function states(): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(stateDir)) return out;
  if (!fs.statSync(stateDir).isDirectory()) return { '(a file)': fs.readFileSync(stateDir, 'utf8') };
  for (const f of fs.readdirSync(stateDir)) out[f] = fs.readFileSync(path.join(stateDir, f), 'utf8');
  return out;
}

const up0 = statusSummaryBody([]);
const failing = statusSummaryBody([{ url: 'http://svc.test/a', code: '500', ok: false }]);
const json = (body: string): ScriptedPeerReply => ({ kind: 'json', body });

/** What the timing scenarios print: when each round started, and what the watcher left. */
export interface RoundsReport {
  readonly scenario: string;
  readonly timeoutSec: number;
  readonly intervalSec: number;
  readonly roundStartsMs: number[];
  readonly stop: string;
  readonly stderr: string;
  readonly states: Record<string, string>;
  readonly telegram: { body: string; answer: string }[];
}

/** A watcher on peers.test with these TIMEOUT and POLLING_INTERVAL_SEC, run for `rounds` rounds (40 s at most), then stopped. */
async function runRounds(
  scenario: string,
  telegram: RunningFakeTelegram,
  timing: { timeoutSec: number; intervalSec: number },
  rounds: number,
): Promise<RoundsReport> {
  const watcher = startWatcher(
    { PEERS_DNS: 'peers.test', TIMEOUT: String(timing.timeoutSec), POLLING_INTERVAL_SEC: String(timing.intervalSec) },
    () => {},
  );
  await watcher.waitRound(rounds, 40000);
  const stop = await watcher.stop();
  return {
    scenario,
    ...timing,
    roundStartsMs: watcher.rounds,
    stop,
    stderr: watcher.stderr(),
    states: states(),
    telegram: telegram.requests.map((r) => ({ body: r.body, answer: r.answer })),
  };
}

async function telegramDown(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const dns = await startDnsServer({ records: { 'peers.test': { A: ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'] } } });
  // The i-th connection of a peer is round i+1: each peer's state, round by round.
  const A: ScriptedPeerReply[] = [json(up0), json(up0), json(failing), json(failing), json(failing), json(failing), json(up0)];
  const B: ScriptedPeerReply[] = [
    json(failing),
    json(up0),
    json(up0),
    { kind: 'unauthorized' },
    { kind: 'unauthorized' },
    json(up0),
    json(up0),
    json(up0),
    json(failing),
  ];
  const C: ScriptedPeerReply[] = [json(up0), json(up0), json(up0), json(up0), { kind: 'close' }];
  const peers = [
    await startFakePeer({ host: '127.0.0.2', port: 5988, answers: A }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: B }),
    await startFakePeer({ host: '127.0.0.4', port: 5988, answers: C }),
    // Never answers: every round lasts TIMEOUT, which leaves time to switch Telegram's mode.
    await startFakePeer({ host: '127.0.0.5', port: 5988, answers: [{ kind: 'hang' }] }),
  ];
  let telegram: RunningFakeTelegram | undefined;
  const phases: Record<number, ScriptedReply | 'refused'> = {
    1: 'refused',
    3: { kind: 'error', status: 500, description: 'Internal Server Error' },
    5: { kind: 'retry', after: 2 },
    6: { kind: 'ok' },
  };
  let switching = Promise.resolve();
  const rounds = 11;
  const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.3' }, (n) => {
    const phase = phases[n];
    if (phase === undefined || phase === 'refused') return;
    switching = switching.then(async () => {
      if (!telegram) telegram = await fakeTelegram({ then: phase });
      else telegram.setAnswers([], phase);
    });
  });
  await watcher.waitRound(rounds, 40000);
  const stop = await watcher.stop();
  await switching;
  const result = {
    scenario: 'telegram-down',
    rounds: rounds - 1,
    stop,
    stderr: watcher.stderr(),
    states: states(),
    telegram: (telegram?.requests ?? []).map((r) => ({ body: r.body, answer: r.answer, atMs: r.atMs })),
    peerConnections: peers.map((p) => p.requests.length),
  };
  await Promise.all([dns.close(), telegram?.close(), ...peers.map((p) => p.close())]);
  return result;
}

/** 200 with a 10 MB body (the other garbage peer sends 10 MB of non-HTTP bytes). */
function hugeBodyPeer(host: string): Promise<net.Server> {
  const body = Buffer.alloc(10 * 1024 * 1024, 0x7a);
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      s.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      s.end(body);
    });
  });
  return new Promise((resolve) => server.listen(5988, host, () => resolve(server)));
}

/** Sends a status line, headers and 3 of 100 body bytes, then nothing more (until closed). */
function stallingPeer(host: string): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"s'));
  });
  return new Promise((resolve) => server.listen(5988, host, () => resolve(server)));
}

async function faultyPeers(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'];
  const dns = await startDnsServer({ records: { 'peers.test': { A: hosts } } });
  const telegram = await fakeTelegram();
  const peers: RunningFakePeer[] = [
    await startFakePeer({ host: '127.0.0.2', port: 5988, answers: [{ kind: 'hang' }] }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: [{ kind: 'raw', bytes: 'garbage\u0000\u00ff', repeat: 1_100_000 }] }),
    await startFakePeer({ host: '127.0.0.5', port: 5988, answers: [{ kind: 'reset' }] }),
    await startFakePeer({ host: '127.0.0.6', port: 5988, answers: [json(up0)] }),
    await startFakePeer({ host: '127.0.0.7', port: 5988, answers: [json(failing)] }),
  ];
  const huge = await hugeBodyPeer('127.0.0.4');
  const stalling = await stallingPeer('127.0.0.8');
  const result = await runRounds('faulty-peers', telegram, { timeoutSec: 3, intervalSec: 0.5 }, 4);
  await Promise.all([
    dns.close(),
    telegram.close(),
    ...peers.map((p) => p.close()),
    new Promise((r) => huge.close(r)),
    new Promise((r) => stalling.close(r)),
  ]);
  return result;
}

async function dnsFault(mode: DnsMode): Promise<unknown> {
  // peers.test: one healthy peer in the hosts file; getent asks DNS for IPv6 first, which
  // times out (resolver default-like: 5 s, 2 attempts) or fails, then finds IPv4 in the file.
  world(['127.0.0.6 peers.test'], mode === 'timeout' ? 'timeout:5 attempts:2' : 'timeout:1 attempts:1');
  const dns: RunningDnsServer = await startDnsServer({ mode });
  const telegram = await fakeTelegram();
  const peer = await startFakePeer({ host: '127.0.0.6', port: 5988, answers: [json(up0)] });
  const result = { ...(await runRounds(`dns-${mode}`, telegram, { timeoutSec: 2, intervalSec: 0.5 }, 3)), dnsQueries: dns.queries.length };
  await Promise.all([dns.close(), telegram.close(), peer.close()]);
  return result;
}

/** D13: the state directory disappears, then cannot be created, then comes back. */
async function stateDirGone(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const dns = await startDnsServer({ records: { 'peers.test': { A: ['127.0.0.2'] } } });
  const telegram = await fakeTelegram();
  // round:        1    2 (dir removed)  3 (dir is a file)  4 (same)  5 (dir back)  6
  const answers = [json(up0), json(failing), json(up0), json(up0), json(up0), json(failing)];
  const peer = await startFakePeer({ host: '127.0.0.2', port: 5988, answers });
  const observed: Record<number, Record<string, string>> = {};
  let steps = Promise.resolve();
  const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.5' }, (n) => {
    steps = steps.then(async () => {
      observed[n - 1] = states();
      // The round has just started: its peer is being polled, nothing is written yet
      // (a poll takes at least the getent call); act on the directory now.
      if (n === 2) fs.rmSync(stateDir, { recursive: true, force: true });
      if (n === 3) {
        fs.rmSync(stateDir, { recursive: true, force: true });
        fs.writeFileSync(stateDir, 'not a directory');
      }
      if (n === 5) fs.rmSync(stateDir, { force: true });
    });
  });
  await watcher.waitRound(7, 40000);
  const stop = await watcher.stop();
  await steps;
  const result = {
    scenario: 'state-dir',
    stop,
    stderr: watcher.stderr(),
    observed,
    states: states(),
    telegram: telegram.requests.map((r) => r.body),
  };
  await Promise.all([dns.close(), telegram.close(), peer.close()]);
  return result;
}

/** D13: INT, HUP and TERM (the last in the middle of a round) end the watcher with status 0. */
async function signals(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const dns = await startDnsServer({ records: { 'peers.test': { A: ['127.0.0.2', '127.0.0.3'] } } });
  const telegram = await fakeTelegram();
  const peers = [
    await startFakePeer({ host: '127.0.0.2', port: 5988, answers: [json(up0)] }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: [{ kind: 'hang' }] }),
  ];
  const out: Record<string, { status: string; stopMs: number; stderrTail: string }> = {};
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) {
    const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '5', POLLING_INTERVAL_SEC: '0.2' }, () => {});
    await watcher.waitRound(1, 20000);
    await sleep(500); // inside the round: the hanging peer is being polled
    const t = Date.now();
    const exited = new Promise<string>((resolve) =>
      watcher.child.on('close', (code, sig) => resolve(sig ? `signal ${sig}` : `exit ${code}`)),
    );
    watcher.child.kill(signal);
    const bound = setTimeout(() => watcher.child.kill('SIGKILL'), 10000);
    const status = await exited;
    clearTimeout(bound);
    out[signal] = { status, stopMs: Date.now() - t, stderrTail: watcher.stderr().split('\n').slice(-3).join('\n') };
  }
  const leftovers = fs.existsSync(stateDir) ? fs.readdirSync(stateDir).filter((f) => !f.endsWith('.state')) : [];
  const result = { scenario: 'signals', out, leftovers, states: states() };
  await Promise.all([dns.close(), telegram.close(), ...peers.map((p) => p.close())]);
  return result;
}

/**
 * Issue 10 points 1-3 against the fake Bot API: the token is revoked (401) for rounds 1-3, the
 * bot kicked (403) for rounds 4-5, then the group is upgraded to a supergroup (migration) and
 * everything accepted. Peer .2 changes state while nothing can be delivered; peer .3 fails 120
 * checks (a text over 4096). Then a restart with TG_CHAT_ID still naming the old group.
 */
async function telegramRefusals(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const dns = await startDnsServer({ records: { 'peers.test': { A: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] } } });
  const many = statusSummaryBody(
    Array.from({ length: 120 }, (_, i) => ({
      url: `http://service-${String(i).padStart(3, '0')}.sentinella.test/health/check/endpoint`,
      code: '503',
      ok: false,
    })),
  );
  const peers = [
    await startFakePeer({
      host: '127.0.0.2',
      port: 5988,
      answers: [json(up0), json(up0), json(failing), json(failing), json(up0), json(failing)],
    }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: [json(many)] }),
    await startFakePeer({ host: '127.0.0.4', port: 5988, answers: [json(up0)] }),
  ];
  const MIGRATED = -1001557912345;
  const telegram = await fakeTelegram({ api: { token: '999:revoked', flood: false } });
  const roundOf: number[] = []; // round of each Telegram request
  let round = 0;
  const observed: Record<number, Record<string, string>> = {};
  const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.3' }, (n) => {
    round = n;
    roundOf.push(...Array(telegram.requests.length - roundOf.length).fill(n - 1));
    observed[n - 1] = states();
    if (n === 4) {
      telegram.api.token = '123:abc';
      telegram.api.chats.set('-100', { type: 'supergroup', title: 'Sentinella alerts', botRemoved: true });
    }
    if (n === 6) {
      telegram.api.chats.set('-100', { type: 'group', title: 'Sentinella alerts', migratedTo: MIGRATED });
      telegram.api.chats.set(String(MIGRATED), { type: 'supergroup', title: 'Sentinella alerts' });
    }
  });
  await watcher.waitRound(9, 40000);
  const stop = await watcher.stop();
  roundOf.push(...Array(telegram.requests.length - roundOf.length).fill(round));
  const first = { stop, stderr: watcher.stderr(), states: states() };
  // Restart: TG_CHAT_ID still -100; one alert due (peer .4's state file removed).
  const before = telegram.requests.length;
  const removed = stateFileName('http://127.0.0.4:5988');
  fs.rmSync(path.join(stateDir, removed), { force: true });
  const again = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.3' }, () => {});
  await again.waitRound(2, 20000);
  const stopAgain = await again.stop();
  const result = {
    scenario: 'telegram-refusals',
    ...first,
    observed,
    telegram: telegram.requests.map((r, i) => ({
      chatId: r.chatId,
      text: r.text,
      answer: r.answer,
      status: r.status,
      round: roundOf[i] ?? round,
    })),
    restart: {
      removed,
      stop: stopAgain,
      stderr: again.stderr(),
      states: states(),
      telegram: telegram.requests.slice(before).map((r) => ({ chatId: r.chatId, text: r.text, status: r.status })),
    },
  };
  await Promise.all([dns.close(), telegram.close(), ...peers.map((p) => p.close())]);
  return result;
}

/**
 * Issue 10 point 4: flood control (1 a second per chat) while six peers come up at once; peer
 * .7 starts failing in round 3, when OKs are still waiting. Each request is stamped with the
 * round it was sent in.
 */
async function telegramFlood(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const hosts = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];
  const dns = await startDnsServer({ records: { 'peers.test': { A: hosts } } });
  const peers = await Promise.all(
    hosts.map((host) =>
      startFakePeer({ host, port: 5988, answers: host === '127.0.0.7' ? [json(up0), json(up0), json(failing)] : [json(up0)] }),
    ),
  );
  let round = 0;
  const stamps: { round: number; ms: number }[] = [];
  const telegram = await fakeTelegram({
    api: { flood: { perSecond: 1, perMinute: 1000 } },
    onRequest: () => stamps.push({ round, ms: Date.now() }),
  });
  const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.3' }, (n) => {
    round = n;
  });
  // Until every peer's latest state is on disk (6 messages at 1 a second), bounded.
  await waitUntil(
    () => {
      const s = Object.values(states());
      return s.filter((v) => v.startsWith('up:')).length === 5 && s.some((v) => v.startsWith('down:'));
    },
    40000,
    200,
  );
  await sleep(1000);
  const stop = await watcher.stop();
  const result = {
    scenario: 'telegram-flood',
    stop,
    stderr: watcher.stderr(),
    states: states(),
    telegram: telegram.requests.map((r, i) => ({ text: r.text, answer: r.answer, round: stamps[i]?.round ?? 0 })),
    peer7Connections: peers[5]?.requests.length ?? 0,
  };
  await Promise.all([dns.close(), telegram.close(), ...peers.map((p) => p.close())]);
  return result;
}

/**
 * D5: Telegram answers 200 at once but its body trickles past TIMEOUT (one byte every 300 ms).
 * Peers .2 and .3 come up in round 1; .3 fails from round 3 on. Rounds go on until round 7.
 */
async function telegramSlowBody(): Promise<unknown> {
  world([], 'timeout:1 attempts:1');
  const dns = await startDnsServer({ records: { 'peers.test': { A: ['127.0.0.2', '127.0.0.3'] } } });
  const peers = [
    await startFakePeer({ host: '127.0.0.2', port: 5988, answers: [json(up0)] }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: [json(up0), json(up0), json(failing)] }),
  ];
  let round = 0;
  const stamps: number[] = [];
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(tls.key),
    cert: fs.readFileSync(tls.cert),
    api: { flood: false },
    then: { kind: 'trickle', everyMs: 300 },
    onRequest: () => stamps.push(round),
  });
  const watcher = startWatcher({ PEERS_DNS: 'peers.test', TIMEOUT: '1', POLLING_INTERVAL_SEC: '0.3' }, (n) => {
    round = n;
  });
  await watcher.waitRound(7, 40000);
  const stop = await watcher.stop();
  const result = {
    scenario: 'telegram-slow-body',
    rounds: 6,
    stop,
    stderr: watcher.stderr(),
    states: states(),
    telegram: telegram.requests.map((r, i) => ({ text: r.text, answer: r.answer, status: r.status, round: stamps[i] ?? 0 })),
  };
  await Promise.all([dns.close(), telegram.close(), ...peers.map((p) => p.close())]);
  return result;
}

const scenarios: Record<string, () => Promise<unknown>> = {
  'state-dir': stateDirGone,
  signals,
  'telegram-down': telegramDown,
  'telegram-refusals': telegramRefusals,
  'telegram-flood': telegramFlood,
  'telegram-slow-body': telegramSlowBody,
  'faulty-peers': faultyPeers,
  'dns-timeout': () => dnsFault('timeout'),
  'dns-servfail': () => dnsFault('servfail'),
};

const run = scenarios[name];
if (!run) throw new Error(`unknown scenario ${name}`);
const result = await run();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
