// The sandbox driver: runs ONE golden case against ONE bin dir, inside a fresh network and
// mount namespace made by the runner (`unshare --net --mount --propagation private`), and
// writes what it observed as JSON. It is bundled by the runner (esbuild) and started as
//   node driver.mjs <spec.json>
// where spec = { case, program, binDir, tls: { caPath, certPath, keyPath }, outPath }.
//
// World of the sandbox (see layout.ts): lo up; tmpfs mounts of fixed sizes; sandbox-only
// /etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf and CA bundle bind-mounted; dns2 on
// 127.0.0.1:53; the fake Telegram on 127.0.0.1:443; fake peers; nothing reaches the host's
// network. Every process started is stopped by its process group id.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isolateResolver } from '../../../scripts/lib/isolate.ts';
import { killProcess, runOrThrow, sleep } from '../../../scripts/lib/process.ts';
import { startDnsServer, type RunningDnsServer } from '../../../scripts/lib/dns.ts';
import { startFakePeer, type RunningFakePeer } from '../../../scripts/lib/peers.ts';
import { startFakeTelegram, type RunningFakeTelegram } from '../../../scripts/lib/telegram.ts';
import type { TestCa } from '../../../scripts/lib/tls.ts';
import { represent } from '../normalise.ts';
import type { Bytes, FileSpec, GoldenCase, RawObservation, RequestSpec } from '../types.ts';
import { SANDBOX, SANDBOX_CA, SANDBOX_PATH } from './layout.ts';

interface DriverSpec {
  readonly case: GoldenCase;
  /** The file in binDir to run (the case's program, or the legacy side's variant of it). */
  readonly program: string;
  readonly binDir: string;
  readonly tls: TestCa;
  readonly outPath: string;
}

const spec: DriverSpec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8'));
const c = spec.case;
const harnessErrors: string[] = [];
const started = Date.now();
const defaultBound = c.program === 'router' || c.program === 'base64' ? 15000 : 30000;
const bound = c.timeoutMs ?? defaultBound;

// The driver itself must never outlive its bound (the runner has its own, longer one).
const selfDestruct = setTimeout(() => {
  harnessErrors.push('driver: hard bound reached');
  killAll('SIGKILL');
  process.exit(70);
}, bound + 15000);
selfDestruct.unref();

const groups = new Set<number>();
function killAll(signal: NodeJS.Signals): void {
  for (const pgid of groups) killProcess(pgid, signal, true);
}

function toBuffer(bytes: Bytes | undefined): Buffer {
  if (bytes === undefined) return Buffer.alloc(0);
  return typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.base64, 'base64');
}

// ---------------------------------------------------------------- the world

function setUpWorld(): void {
  runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=755', 'sandbox', SANDBOX.root]);
  for (const dir of [SANDBOX.work, SANDBOX.etc, SANDBOX.home, SANDBOX.vol1, SANDBOX.vol2]) mkdirSync(dir, { recursive: true });
  chmodSync(SANDBOX.work, 0o777);
  runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=755', 'vol1', SANDBOX.vol1]);
  runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=755', 'vol2', SANDBOX.vol2]);
  // The watcher's default STATE_DIR lives under /var/lib: an empty root-owned tmpfs there makes
  // `watcher-startup-default-state-dir` the same on a host that already runs sentinella.
  runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=755', 'varlib', '/var/lib']);
  mkdirSync(SANDBOX.vol2Sub);
  writeFileSync(SANDBOX.vol2File, Buffer.alloc(100 * 1024, 0x61));

  copyFileSync(spec.tls.caPath, SANDBOX_CA);
  // Short resolver timeouts (the default options): a 'timeout' DNS case then costs seconds,
  // not tens of seconds, on both sides alike.
  isolateResolver({
    dir: SANDBOX.etc,
    hosts: ['127.0.0.1 localhost', '::1 localhost ip6-localhost', '127.0.0.1 api.telegram.org'],
    caBundle: SANDBOX_CA,
  });
  // The case's lines as bytes (a name need not be UTF-8), after the fixed ones.
  for (const line of c.hosts ?? []) appendFileSync(path.join(SANDBOX.etc, 'hosts'), Buffer.concat([toBuffer(line), Buffer.from('\n')]));

  if (c.addresses?.length) {
    runOrThrow('ip', ['link', 'add', 'sbx0', 'type', 'veth', 'peer', 'name', 'sbx1']);
    runOrThrow('ip', ['link', 'set', 'sbx0', 'up']);
    runOrThrow('ip', ['link', 'set', 'sbx1', 'up']);
    for (const cidr of c.addresses) {
      if (cidr.includes(':')) runOrThrow('ip', ['addr', 'add', cidr, 'dev', 'sbx0', 'nodad']);
      else runOrThrow('ip', ['addr', 'add', cidr, 'dev', 'sbx0']);
    }
  }

  for (const m of c.mounts ?? []) {
    mkdirSync(m.path, { recursive: true });
    runOrThrow('mount', ['-t', 'tmpfs', '-o', `size=${m.size},mode=755`, 'extra', m.path]);
  }

  for (const f of c.files ?? []) makeFile(f);
}

function makeFile(f: FileSpec): void {
  // The path's bytes (a name need not be UTF-8); '/' is one byte, so latin1 finds the parent.
  const file = toBuffer(f.path);
  const parent = Buffer.from(path.dirname(file.toString('latin1')), 'latin1');
  if (f.symlink !== undefined) {
    mkdirSync(parent, { recursive: true });
    symlinkSync(f.symlink, file);
    return;
  }
  if (f.dir) mkdirSync(file, { recursive: true });
  else {
    mkdirSync(parent, { recursive: true });
    writeFileSync(file, toBuffer(f.content));
  }
  if (f.mode !== undefined) chmodSync(file, f.mode);
}

interface Servers {
  dns?: RunningDnsServer;
  telegram?: RunningFakeTelegram;
  peers: RunningFakePeer[];
  occupier?: net.Server;
}

async function startServers(): Promise<Servers> {
  const servers: Servers = { peers: [] };
  const first = c.dnsRounds?.[0];
  servers.dns = await startDnsServer({
    host: '127.0.0.1',
    port: 53,
    records: first?.records ?? c.dns?.records ?? {},
    mode: first?.mode ?? c.dns?.mode ?? 'answer',
    answerDelayMs: c.dnsRounds ? 25 : 0,
  });
  if (c.telegram?.listen !== false) {
    servers.telegram = await startFakeTelegram({
      host: '127.0.0.1',
      port: 443,
      key: readFileSync(spec.tls.keyPath),
      cert: readFileSync(spec.tls.certPath),
      answers: c.telegram?.answers ?? [],
      ...(c.telegram?.then ? { then: c.telegram.then } : {}),
    });
  }
  for (const p of c.peers ?? []) {
    servers.peers.push(await startFakePeer({ host: p.host, port: p.port ?? 5988, answers: p.answers }));
  }
  if (c.occupyPort !== undefined) {
    const occupier = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve, reject) => {
      occupier.once('error', reject);
      occupier.listen(c.occupyPort, '0.0.0.0', () => resolve());
    });
    servers.occupier = occupier;
  }
  return servers;
}

async function stopServers(servers: Servers): Promise<void> {
  await Promise.all([
    servers.dns?.close(),
    servers.telegram?.close(),
    ...servers.peers.map((p) => p.close()),
    servers.occupier && new Promise<void>((r) => servers.occupier?.close(() => r())),
  ]);
}

// ---------------------------------------------------------------- the program

interface Running {
  readonly child: ChildProcess;
  readonly stdout: Buffer[];
  readonly stderr: Buffer[];
  /** Resolves with 'exit N' or 'signal SIG...' once the process has exited and its pipes closed. */
  readonly done: Promise<string>;
  exited: string | null;
}

/**
 * `envBytes`: Node passes environment values and arguments as UTF-8 text only, so the program
 * is started by dash, which exports each value from printf's octal escapes (`\0ooo`), byte for
 * byte, and execs it (same process; the PWD dash would add is removed).
 */
const ENV_BYTES_SCRIPT =
  'unset PWD; while [ "$1" != -- ]; do v=$(printf \'%bx\' "$2"); export "$1=${v%x}"; shift 2; done; shift; exec "$@"';

function octalEscaped(bytes: Buffer): string {
  if (bytes.includes(0)) throw new Error('envBytes: a NUL byte cannot be in the environment');
  return [...bytes].map((byte) => `\\0${byte.toString(8).padStart(3, '0')}`).join('');
}

function commandLine(): { file: string; args: string[] } {
  const program = path.join(spec.binDir, spec.program);
  const args = [...(c.args ?? [])];
  if (!c.envBytes) return { file: program, args };
  const pairs = Object.entries(c.envBytes).flatMap(([name, value]) => [name, octalEscaped(toBuffer(value))]);
  return { file: 'dash', args: ['-c', ENV_BYTES_SCRIPT, 'dash', ...pairs, '--', program, ...args] };
}

function startProgram(): Running {
  const env: Record<string, string> = { PATH: SANDBOX_PATH, NODE_EXTRA_CA_CERTS: SANDBOX_CA, ...(c.env ?? {}) };
  const nobody = c.runAs === 'nobody';
  const line = commandLine();
  const child = spawn(line.file, line.args, {
    cwd: SANDBOX.work,
    env,
    detached: true, // its own process group: stopped as a whole, children included
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(nobody ? { uid: 65534, gid: 65534 } : {}),
  });
  if (child.pid) {
    groups.add(child.pid);
    appendFileSync(`${spec.outPath}.pgids`, `${child.pid}\n`);
  }
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (d: Buffer) => stdout.push(d));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));
  child.stdin?.on('error', () => {}); // the program may exit without reading its stdin
  const running: Running = {
    child,
    stdout,
    stderr,
    exited: null,
    done: new Promise((resolve) => {
      child.on('error', (e) => {
        harnessErrors.push(`spawn: ${e.message}`);
        resolve('spawn error');
      });
      child.on('close', (code, signal) => {
        running.exited = signal ? `signal ${signal}` : `exit ${code}`;
        resolve(running.exited);
      });
    }),
  };
  return running;
}

/** Waits for the process to end; SIGKILLs its group when the bound passes. */
async function finish(running: Running, boundMs: number): Promise<string> {
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      killAll('SIGKILL');
    },
    Math.max(0, boundMs),
  );
  const status = await running.done;
  clearTimeout(timer);
  return timedOut ? 'timeout' : status;
}

/** Stops the program's process group with `signal` (then SIGKILL after 3 s) and waits. */
async function stop(running: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<string> {
  if (running.exited) return running.exited;
  const pgid = running.child.pid as number;
  killProcess(pgid, signal, true);
  killProcess(pgid, 'SIGCONT', true);
  const timer = setTimeout(() => killProcess(pgid, 'SIGKILL', true), 3000);
  const status = await running.done;
  clearTimeout(timer);
  return status;
}

// ---------------------------------------------------------------- per program

async function runOnce(): Promise<RawObservation> {
  const running = startProgram();
  running.child.stdin?.end(toBuffer(c.stdin));
  const exit = await finish(running, bound);
  return { stdout: b64(running.stdout), stderr: b64(running.stderr), exit };
}

/** Is something listening on TCP port `port` in this network namespace? (No connection made:
 *  a test connection would make the legacy probe start a router.) */
function listening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === '0A') return true;
    }
  }
  return false;
}

async function sendRequest(r: RequestSpec): Promise<{ bytes: string; end: 'close' | 'reset' | 'timeout' }> {
  const port = Number(c.env?.PORT ?? '5988');
  const pieces = Array.isArray(r.send) ? r.send : [r.send as Bytes];
  const chunks: Buffer[] = [];
  for (const f of r.writeFiles ?? []) makeFile(f);
  return new Promise((resolve) => {
    let end: 'close' | 'reset' | 'timeout' = 'close';
    const socket = net.connect({ host: r.host ?? '127.0.0.1', port: r.port ?? port, allowHalfOpen: true });
    const timer = setTimeout(() => {
      end = 'timeout';
      socket.destroy();
    }, r.readTimeoutMs ?? 9000);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (end !== 'timeout') end = e.code === 'ECONNRESET' ? 'reset' : 'reset';
    });
    socket.on('end', () => socket.end());
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks).toString('base64'), end });
    });
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        if (typeof piece === 'object' && piece !== null && 'pauseMs' in piece) await sleep(piece.pauseMs);
        else socket.write(toBuffer(piece as Bytes));
      }
      if (r.halfClose && !socket.destroyed) socket.end();
    });
  });
}

async function runProbe(): Promise<RawObservation> {
  const port = Number(c.env?.PORT ?? '5988');
  const running = startProgram();
  running.child.stdin?.end();
  const responses: { bytes: string; end: 'close' | 'reset' | 'timeout' }[] = [];
  if (c.occupyPort !== undefined) {
    // Port in use: the program is expected to give up by itself; the occupier already
    // listens, so "listening" says nothing here.
    const status = await finish(running, 5000);
    return { stdout: b64(running.stdout), stderr: b64(running.stderr), exit: status, responses };
  }
  const deadline = Date.now() + 5000;
  const ports = [port, ...(c.requests ?? []).flatMap((r) => (r.port === undefined ? [] : [r.port]))];
  while (!running.exited && !ports.some(listening) && Date.now() < deadline) await sleep(20);
  if (!running.exited && Date.now() < deadline) {
    for (const r of c.requests ?? []) {
      if (Date.now() - started > bound) {
        harnessErrors.push('probe: bound reached before all requests were sent');
        break;
      }
      responses.push(await sendRequest(r));
    }
  } else if (!running.exited) {
    harnessErrors.push(`probe: not listening on ${port} after 5 s`);
  }
  let exit: string;
  let stopStatus: string | undefined;
  if (running.exited) exit = running.exited;
  else {
    // Give routers that just answered (or just lost their connection) a moment to write
    // their last stderr lines, then stop the group.
    await sleep(300);
    stopStatus = await stop(running);
    exit = 'stopped';
  }
  return {
    stdout: b64(running.stdout),
    stderr: b64(running.stderr),
    exit,
    ...(c.checkStopStatus && stopStatus ? { stopStatus } : {}),
    responses,
  };
}

function countPolling(buffers: Buffer[]): { count: number; lastLineStart: number } {
  const text = Buffer.concat(buffers).toString('latin1');
  let count = 0;
  let index = -1;
  let lastLineStart = -1;
  for (;;) {
    index = text.indexOf('polling peers via', index + 1);
    if (index < 0) break;
    count += 1;
    lastLineStart = text.lastIndexOf('\n', index) + 1;
  }
  return { count, lastLineStart };
}

interface Snapshot {
  stdout: Buffer;
  stderr: Buffer;
  files: Record<string, string>;
  telegram: RawObservation['telegram'];
  peerRequests: RawObservation['peerRequests'];
}

async function runWatcher(servers: Servers): Promise<RawObservation> {
  const rounds = c.rounds ?? 1;
  const running = startProgram();
  running.child.stdin?.end();
  let snapshot: Snapshot | null = null;
  const take = (cutStderrAt: number | null): Snapshot => {
    const stderr = Buffer.concat(running.stderr);
    return {
      stdout: Buffer.concat(running.stdout),
      stderr: cutStderrAt === null ? stderr : stderr.subarray(0, cutStderrAt),
      files: collectFiles(),
      telegram: telegramRequests(servers),
      peerRequests: peerRequests(servers),
    };
  };

  // Per-round world changes, applied as each round's first line appears.
  let roundsSeen = 0;
  const onRound = () => {
    const { count } = countPolling(running.stderr);
    while (roundsSeen < count) {
      roundsSeen += 1;
      const dns = c.dnsRounds?.[roundsSeen - 1];
      if (dns) {
        servers.dns?.setRecords(dns.records ?? {});
        servers.dns?.setMode(dns.mode ?? 'answer');
      }
      for (const action of c.roundActions ?? []) {
        if (action.round !== roundsSeen) continue;
        for (const p of action.removePaths ?? []) rmSync(p, { recursive: true, force: true });
        for (const f of action.writeFiles ?? []) makeFile(f);
      }
    }
  };
  if (c.dnsRounds || c.roundActions) running.child.stderr?.on('data', onRound);

  const stopSignal = c.stopSignal ?? 'SIGTERM';
  const reached = new Promise<'round' | 'delay'>((resolve) => {
    const check = () => {
      const { count, lastLineStart } = countPolling(running.stderr);
      if (c.stopDelayMs !== undefined) {
        if (count >= rounds) {
          running.child.stderr?.off('data', check);
          setTimeout(() => resolve('delay'), c.stopDelayMs);
        }
        return;
      }
      if (count >= rounds + 1) {
        running.child.stderr?.off('data', check);
        // Freeze the whole group at once, so nothing of the next round slips into the snapshot.
        killProcess(running.child.pid, 'SIGSTOP', true);
        snapshot = take(lastLineStart);
        resolve('round');
      }
    };
    running.child.stderr?.on('data', check);
  });
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), bound).unref());
  const outcome = await Promise.race([reached, running.done.then(() => 'exited' as const), timer]);

  let exit: string;
  let stopStatus: string | undefined;
  if (outcome === 'exited') {
    exit = running.exited ?? 'exited';
    snapshot = take(null);
  } else if (outcome === 'timeout') {
    harnessErrors.push(`watcher: ${rounds} round(s) not completed within ${bound} ms`);
    killAll('SIGKILL');
    await running.done;
    exit = 'timeout';
    snapshot = take(null);
  } else {
    stopStatus = await stop(running, stopSignal);
    exit = 'stopped';
    if (outcome === 'delay' || c.checkStopStatus) {
      // Signal cases: what the program does on the signal is the point, keep all of it.
      const all = take(null);
      snapshot = outcome === 'delay' ? all : { ...(snapshot as unknown as Snapshot), stderr: all.stderr, stdout: all.stdout };
    }
  }
  const s = snapshot as unknown as Snapshot;
  return {
    stdout: s.stdout.toString('base64'),
    stderr: s.stderr.toString('base64'),
    exit,
    ...(c.checkStopStatus && stopStatus ? { stopStatus } : {}),
    files: s.files,
    telegram: s.telegram,
    ...(c.peers?.length ? { peerRequests: s.peerRequests } : {}),
  };
}

function telegramRequests(servers: Servers): RawObservation['telegram'] {
  return (servers.telegram?.requests ?? []).map((r) => ({
    method: r.method,
    path: r.path,
    contentType: r.contentType,
    body: represent(r.bodyBytes),
  }));
}

function peerRequests(servers: Servers): RawObservation['peerRequests'] {
  const all: { peer: string; method: string; path: string; authorization: readonly string[] }[] = [];
  for (const p of servers.peers) {
    for (const r of p.requests) all.push({ peer: `${p.host}:${p.port}`, method: r.method, path: r.path, authorization: r.authorization });
  }
  return all;
}

/** Files under STATE_DIR and the case's `collect` dirs (recursively), path -> base64 bytes. */
function collectFiles(): Record<string, string> {
  // Relative paths are the program's: it runs in SANDBOX.work.
  const dirs = [...(c.env?.STATE_DIR ? [c.env.STATE_DIR] : []), ...(c.collect ?? [])].map((dir) => path.resolve(SANDBOX.work, dir));
  const files: Record<string, string> = {};
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const st = statSync(full);
      if (st.isDirectory() && depth < 4) walk(full, depth + 1);
      else if (st.isFile()) files[full] = readFileSync(full).toString('base64');
    }
  };
  for (const dir of dirs) {
    try {
      if (!statSync(dir).isDirectory()) continue;
      walk(dir, 0);
    } catch {
      files[`${dir}/`] = Buffer.from('(no such directory)').toString('base64');
    }
  }
  return files;
}

const b64 = (buffers: Buffer[]) => Buffer.concat(buffers).toString('base64');

// ---------------------------------------------------------------- main

let observation: RawObservation;
let servers: Servers = { peers: [] };
try {
  setUpWorld();
  servers = await startServers();
  switch (c.program) {
    case 'router':
    case 'base64':
      observation = await runOnce();
      break;
    case 'probe':
      observation = await runProbe();
      break;
    case 'watcher':
      observation = await runWatcher(servers);
      break;
    default:
      throw new Error(`unknown program ${String(c.program)}`);
  }
  if (c.program !== 'watcher' && (c.env?.STATE_DIR || c.collect?.length)) observation = { ...observation, files: collectFiles() };
  if (c.program !== 'watcher' && c.peers?.length) observation = { ...observation, peerRequests: peerRequests(servers) };
} catch (error) {
  harnessErrors.push(`driver: ${(error as Error).stack ?? String(error)}`);
  observation = { stdout: '', stderr: '', exit: 'harness error' };
}
killAll('SIGKILL');
await stopServers(servers).catch((e) => harnessErrors.push(`stop servers: ${String(e)}`));
writeFileSync(spec.outPath, JSON.stringify({ ...observation, ...(harnessErrors.length ? { harnessErrors } : {}) }));
process.exit(0);
