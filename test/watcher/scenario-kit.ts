// What the one-watcher scenario scripts (digest-, webhook-, silence-, srv-options-scenario.ts)
// build alike inside the sandbox (sandbox.ts runScenario): the private /etc/hosts, fake probes,
// the fake Telegram on 127.0.0.1:443 with the test CA, the port watcher from src/, its state
// files, and the script's entry point.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { routerResponse, statusSummaryBody, type CheckLine } from '../../scripts/lib/peers.ts';
import { startFakeTelegram, type FakeTelegramOptions, type RunningFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

export const WATCHER = path.join(ROOT, 'src/bin/watcher.ts');

/** `<scenario> <workdir>` from the command line. */
export function scenarioArgs(name: string): { scenario: string; work: string } {
  const [scenario = name, work = '/tmp'] = process.argv.slice(2);
  return { scenario, work };
}

/** The private /etc/hosts: localhost and api.telegram.org on 127.0.0.1, then `hosts`. */
export function privateHosts(work: string, hosts: readonly string[]): void {
  isolateResolver({ dir: path.join(work, 'etc'), hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org', ...hosts] });
}

/**
 * A fake probe answering every connection with one check, failing (500) while `failing` holds
 * the address the connection came to.
 */
export async function fakeProbes(
  failing: (address: string) => boolean,
  listen: { port: number; host: string } = { port: 5988, host: '0.0.0.0' },
  body: (checks: CheckLine[]) => string = statusSummaryBody,
): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const bad = failing(s.localAddress?.replace(/^::ffff:/, '') ?? '');
      const checks = [{ url: 'http://svc.test/health', code: bad ? '500' : '200', ok: !bad }];
      s.end(routerResponse('200 OK', 'application/json', body(checks)));
    });
  });
  await new Promise<void>((r) => server.listen(listen.port, listen.host, r));
  return server;
}

/**
 * The peers as peers.test in the private /etc/hosts (with `moreHosts`) and one fake probe on
 * port 5988 of every address; `failing` holds the addresses whose check fails (500).
 */
export async function peersDns(
  work: string,
  peers: readonly string[],
  moreHosts: readonly string[] = [],
): Promise<{ server: net.Server; failing: Set<string> }> {
  privateHosts(work, [...peers.map((a) => `${a} peers.test`), ...moreHosts]);
  const failing = new Set<string>();
  return { server: await fakeProbes((address) => failing.has(address)), failing };
}

/** The fake Telegram on 127.0.0.1:443 (api.telegram.org) with the test CA's certificate. */
export function sandboxTelegram(work: string, options: Omit<FakeTelegramOptions, 'key' | 'cert'> = {}): Promise<RunningFakeTelegram> {
  const tls = path.join(work, 'tls');
  return startFakeTelegram({
    key: fs.readFileSync(path.join(tls, 'key.pem')),
    cert: fs.readFileSync(path.join(tls, 'cert.pem')),
    ...options,
  });
}

/**
 * The environment every scenario's watcher shares (SELF=127.0.0.1, one-second rounds, the test
 * CA, STATE_DIR under the work folder), then the scenario's own variables.
 */
export function watcherEnv(work: string, own: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: work,
    NODE_EXTRA_CA_CERTS: path.join(work, 'tls', 'ca.pem'),
    SELF: '127.0.0.1',
    POLLING_INTERVAL_SEC: '1',
    STATE_DIR: path.join(work, 'state'),
    ...own,
  };
}

/** The port watcher from src/ with `env`; its stderr gathered for the report. */
export function startWatcher(env: NodeJS.ProcessEnv): { child: ChildProcess; stderr: () => string } {
  let stderr = '';
  const child = spawn(process.execPath, ['--import', 'tsx', WATCHER], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

/** The state files' names and contents, by name; none while the folder is not there yet. */
export function stateFiles(stateDir: string, keep: (name: string) => boolean = () => true): Array<[string, string]> {
  try {
    return fs
      .readdirSync(stateDir)
      .filter(keep)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(stateDir, f), 'utf8')]);
  } catch {
    return [];
  }
}

/** Runs the scenario; a failure prints its stack and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
