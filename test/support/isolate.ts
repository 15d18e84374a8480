// The name-resolution world of a test host, for code already running inside its own network
// and mount namespace (`unshare --net --mount --propagation private`): loopback up, and
// private /etc/hosts, /etc/resolv.conf (DNS on 127.0.0.1, where a test's dns2 listens) and
// /etc/nsswitch.conf (`hosts: files dns`), bind-mounted over the system's, plus optionally a
// CA bundle over the system one (what curl trusts). The mounts end with the namespace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ResolverWorld {
  /** Where the private files are written (created if missing). */
  readonly dir: string;
  /** /etc/hosts lines, in order. */
  readonly hosts: readonly string[];
  /** resolv.conf `options` (default `timeout:1 attempts:1`: a DNS timeout costs seconds). */
  readonly resolvOptions?: string;
  /** A CA bundle (PEM file) mounted over /etc/ssl/certs/ca-certificates.crt. */
  readonly caBundle?: string;
}

const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export function run(cmd: string, ...args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message || `status ${r.status}`}`);
}

export function isolateResolver(world: ResolverWorld): void {
  run('ip', 'link', 'set', 'lo', 'up');
  mkdirSync(world.dir, { recursive: true });
  const files: Record<string, string> = {
    hosts: `${world.hosts.join('\n')}\n`,
    'resolv.conf': `nameserver 127.0.0.1\noptions ${world.resolvOptions ?? 'timeout:1 attempts:1'}\n`,
    'nsswitch.conf': readFileSync('/etc/nsswitch.conf', 'utf8').replace(/^hosts:.*$/m, 'hosts:          files dns'),
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(world.dir, name), content);
    run('mount', '--bind', path.join(world.dir, name), `/etc/${name}`);
  }
  if (world.caBundle && existsSync(SYSTEM_CA_BUNDLE)) run('mount', '--bind', world.caBundle, SYSTEM_CA_BUNDLE);
}

/** `unshare` as a test runs it: network and mount namespaces, root mapped when not root. */
export const UNSHARE_ARGS: readonly string[] = [
  '--net',
  '--mount',
  '--propagation',
  'private',
  ...(process.getuid?.() === 0 ? [] : ['--map-root-user']),
];

/** Whether this machine lets a test make its own namespaces (unshare installed, user namespaces allowed). */
export function canIsolate(): boolean {
  return spawnSync('unshare', [...UNSHARE_ARGS, 'true']).status === 0;
}

/**
 * Runs a TypeScript script (under tsx) in namespaces of its own, so whatever it sends can only
 * reach its own loopback; its whole process group is killed after `boundMs`.
 */
export function runIsolated(
  script: string,
  args: readonly string[],
  boundMs: number,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('unshare', [...UNSHARE_ARGS, '--', process.execPath, '--import', 'tsx', script, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, boundMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
