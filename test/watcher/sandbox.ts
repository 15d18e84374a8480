// Runs a watcher fault scenario in its own network + mount namespace (unshare), like the
// golden sandbox: lo only, a private /etc/hosts and /etc/resolv.conf, dns2 on 127.0.0.1:53,
// the fake Telegram (HTTPS, test CA) on 127.0.0.1:443, fake peers on 127.0.0.x. Nothing
// leaves the namespace. The scenario prints one JSON line; this returns it parsed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnInNamespaces } from '../../scripts/lib/namespace.ts';
import { makeTestCa } from '../../scripts/lib/tls.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');

/** Runs scenario.ts <name> (or another script of this folder) inside unshare; kills it (by PID, whole group) after boundMs. */
export async function runScenario<T>(name: string, boundMs: number, script = 'scenario.ts'): Promise<T> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `watcher-${name}-`));
  try {
    makeTestCa(path.join(work, 'tls'));
    const { child, exit } = spawnInNamespaces([process.execPath, '--import', 'tsx', path.join(here, script), name, work], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
      boundMs,
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const status = (await exit).code;
    const line = out.split('\n').find((l) => l.startsWith('{"scenario"'));
    if (status !== 0 || !line) throw new Error(`scenario ${name} failed (status ${status}):\n${err}\n${out}`);
    return JSON.parse(line) as T;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
