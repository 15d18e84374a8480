// Runs a watcher fault scenario in its own network + mount namespace (unshare), like the
// golden sandbox: lo only, a private /etc/hosts and /etc/resolv.conf, dns2 on 127.0.0.1:53,
// the fake Telegram (HTTPS, test CA) on 127.0.0.1:443, fake peers on 127.0.0.x. Nothing
// leaves the namespace. The scenario prints one JSON line; this returns it parsed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTestCa } from '../../scripts/lib/tls.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');

/** Runs scenario.ts <name> (or another script of this folder) inside unshare; kills it (by PID, whole group) after boundMs. */
export async function runScenario<T>(name: string, boundMs: number, script = 'scenario.ts'): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `watcher-${name}-`));
  try {
    makeTestCa(path.join(work, 'tls'));
    const unshare = ['--net', '--mount', '--propagation', 'private', ...(process.getuid?.() === 0 ? [] : ['--map-root-user'])];
    const child = spawn('unshare', [...unshare, '--', process.execPath, '--import', 'tsx', path.join(here, script), name, work], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* gone */
      }
    }, boundMs);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(timer);
    const line = out.split('\n').find((l) => l.startsWith('{"scenario"'));
    if (status !== 0 || !line) throw new Error(`scenario ${name} failed (status ${status}):\n${err}\n${out}`);
    return JSON.parse(line) as T;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
