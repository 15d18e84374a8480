// A throwaway multi-host network for the mixed-cluster test and the demo: one "hub" network
// namespace holding a bridge (192.0.2.254/24) and the shared services (DNS, fake Telegram),
// and one namespace per host (192.0.2.1, .2, ...) wired to the bridge with a veth pair.
//
// Everything is made inside a private network AND mount namespace that the caller enters
// with `enterPrivateNamespaces` (unshare --net --mount, plus --map-root-user when not root):
// the hub is that namespace itself, /run is a private tmpfs (so /run/netns is ours), and
// /etc/resolv.conf and /etc/hosts are bind-mounted over for every host. So nothing outside is reached or changed,
// and when the process ends (even killed) the kernel removes every namespace, veth and mount.
// TEST-NET-1 (192.0.2.0/24) addresses exist only in there.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnInNamespaces, succeedsInNamespaces } from './namespace.ts';
import { have, runOrThrow, stopProcess, type BoundedChild } from './process.ts';

export const HUB_ADDRESS = '192.0.2.254';
export const hostAddress = (index: number): string => `192.0.2.${index}`;

/** Set in the environment of the re-executed script (inside the private namespaces). */
const INSIDE_MARKER = 'SENTINELLA_CLUSTER_NAMESPACES';

export function insidePrivateNamespaces(): boolean {
  return process.env[INSIDE_MARKER] === '1';
}

export interface NamespaceSupport {
  readonly ok: boolean;
  /** Whether it takes a user namespace (--map-root-user). */
  readonly mapRoot: boolean;
  /** What is missing, for a clear message. */
  readonly reason: string;
}

/** Finds out whether (and how) this user can make private network namespaces. */
export function probeNamespaceSupport(): NamespaceSupport {
  const asRoot = process.getuid?.() === 0;
  // Root in a container may lack CAP_SYS_ADMIN outside a user namespace of its own.
  const attempts = asRoot ? [false, true] : [true];
  const missing = ['unshare', 'ip'].filter((tool) => !have(tool));
  if (missing.length > 0) {
    return { ok: false, mapRoot: false, reason: `missing ${missing.join(' and ')} (Debian: apt-get install util-linux iproute2)` };
  }
  for (const mapRoot of attempts) {
    if (succeedsInNamespaces(['ip', 'link', 'add', 'probe0', 'type', 'bridge'], { mapRoot })) return { ok: true, mapRoot, reason: '' };
  }
  return {
    ok: false,
    mapRoot: false,
    reason: asRoot
      ? 'root, but `unshare --net --mount` failed (a container without CAP_SYS_ADMIN/CAP_NET_ADMIN?)'
      : 'unprivileged user namespaces are disabled here (sysctl kernel.unprivileged_userns_clone=1 or ' +
        'user.max_user_namespaces > 0), or run it as root',
  };
}

/**
 * Runs `node --import tsx <script> ...args` inside fresh private namespaces, with stdio
 * inherited or piped, killed (by PID) once `boundMs` has passed (SIGTERM `graceMs` before
 * the SIGKILL, when given). The child sees
 * insidePrivateNamespaces() === true.
 */
export function enterPrivateNamespaces(
  support: NamespaceSupport,
  script: string,
  args: readonly string[],
  options: { cwd: string; stdio: 'inherit' | 'pipe'; boundMs: number; graceMs?: number; env?: NodeJS.ProcessEnv },
): BoundedChild {
  return spawnInNamespaces([process.execPath, '--import', 'tsx', script, ...args], {
    namespaces: { mapRoot: support.mapRoot },
    cwd: options.cwd,
    stdio: options.stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: { ...(options.env ?? process.env), [INSIDE_MARKER]: '1' },
    boundMs: options.boundMs,
    graceMs: options.graceMs,
  });
}

/** The file a path names, following symlinks (even dangling ones). */
function realTarget(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      if (lstatSync(file).isSymbolicLink()) return path.resolve(path.dirname(file), readlinkSync(file));
    } catch {
      // missing altogether
    }
    throw new Error(`${file} does not exist: nothing to bind-mount the cluster's copy over`);
  }
}

export interface ClusterOptions {
  /** Host namespace names, host i (1-based) gets 192.0.2.i. */
  readonly hosts: readonly string[];
  /** Scratch directory (resolver files land in it). */
  readonly workDir: string;
  /** Extra /etc/hosts entries for every host, e.g. api.telegram.org -> the hub. */
  readonly hostsEntries?: Readonly<Record<string, string>>;
}

/**
 * Builds the network. Must run inside private namespaces (see enterPrivateNamespaces):
 * refuses otherwise, so it can never touch the machine's own network.
 */
export function createCluster(options: ClusterOptions): void {
  if (!insidePrivateNamespaces()) throw new Error('createCluster: not inside private namespaces');
  // Where /etc/resolv.conf and /etc/hosts really live (resolv.conf is often a symlink into
  // /run), found before /run is replaced below.
  const targets = ['/etc/resolv.conf', '/etc/hosts'].map(realTarget);
  // A private /run: `ip netns add` keeps its handles in /run/netns, so they live (and die)
  // with this mount namespace, and nothing is created on the machine's own /run.
  runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=755', 'sentinella-run', '/run']);
  mkdirSync('/run/netns');

  // Every host resolves through the hub's DNS and finds the hub under the extra names.
  const resolv = path.join(options.workDir, 'resolv.conf');
  const hosts = path.join(options.workDir, 'hosts');
  writeFileSync(resolv, `nameserver ${HUB_ADDRESS}\noptions timeout:1 attempts:2\n`);
  const extra = Object.entries(options.hostsEntries ?? {}).map(([name, address]) => `${address}\t${name}\n`);
  writeFileSync(hosts, `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${extra.join('')}`);
  for (const [file, target] of [
    [resolv, targets[0] as string],
    [hosts, targets[1] as string],
  ] as const) {
    if (target.startsWith('/run/')) {
      // A symlink into the old /run: give it something to point at in the new one.
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, '');
    }
    runOrThrow('mount', ['--bind', file, target]);
  }

  runOrThrow('ip', ['link', 'set', 'lo', 'up']);
  runOrThrow('ip', ['link', 'add', 'sbr0', 'type', 'bridge']);
  runOrThrow('ip', ['addr', 'add', `${HUB_ADDRESS}/24`, 'dev', 'sbr0']);
  runOrThrow('ip', ['link', 'set', 'sbr0', 'up']);
  options.hosts.forEach((name, i) => {
    runOrThrow('ip', ['netns', 'add', name]);
    runOrThrow('ip', ['link', 'add', `v-${name}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
    runOrThrow('ip', ['link', 'set', `v-${name}`, 'master', 'sbr0', 'up']);
    runOrThrow('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    runOrThrow('ip', ['-n', name, 'addr', 'add', `${hostAddress(i + 1)}/24`, 'dev', 'eth0']);
    runOrThrow('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
  });
}

/** Removes what createCluster made (the kernel would anyway when the namespaces die). */
export function destroyCluster(hosts: readonly string[]): void {
  for (const name of hosts) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 10_000 });
  spawnSync('ip', ['link', 'del', 'sbr0'], { stdio: 'ignore', timeout: 10_000 });
}

export interface HostProcess {
  readonly label: string;
  readonly pid: number;
  /** Everything written to stderr so far (and stdout, which the programs do not use). */
  output(): string;
  exited(): boolean;
  /** TERM to its process group (socat and routers included), KILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `argv` in host namespace `ns` with exactly `env`, in its own process group. */
export function startInHost(label: string, ns: string, argv: readonly string[], env: NodeJS.ProcessEnv): HostProcess {
  // `ip netns exec` execs the program itself: the pid we get is the program's.
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c));
  let done = false;
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => {
      done = true;
      resolve();
    });
    child.on('error', () => {
      done = true;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  return {
    label,
    pid,
    output: () => Buffer.concat(chunks).toString('utf8'),
    exited: () => done,
    async stop(graceMs = 3000) {
      await stopProcess(child, { group: true, graceMs });
      await closed;
    },
  };
}

/** POSIX cksum of a string's bytes (the watchers name state files after it). */
export function cksum(text: string): string {
  const out = execFileSync('cksum', { input: Buffer.from(text, 'utf8'), encoding: 'utf8' });
  return out.split(' ')[0] as string;
}
