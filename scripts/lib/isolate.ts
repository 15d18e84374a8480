// The name-resolution world of a test host, for code already running inside its own network
// and mount namespace (`unshare --net --mount --propagation private`): loopback up, and
// private /etc/hosts, /etc/resolv.conf (DNS on 127.0.0.1, where a test's dns2 listens) and
// /etc/nsswitch.conf (`hosts: files dns`), bind-mounted over the system's, plus optionally a
// CA bundle over the system one (what curl trusts). The mounts end with the namespace.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runOrThrow } from './process.ts';

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

export function isolateResolver(world: ResolverWorld): void {
  runOrThrow('ip', ['link', 'set', 'lo', 'up']);
  mkdirSync(world.dir, { recursive: true });
  const files: Record<string, string> = {
    hosts: `${world.hosts.join('\n')}\n`,
    'resolv.conf': `nameserver 127.0.0.1\noptions ${world.resolvOptions ?? 'timeout:1 attempts:1'}\n`,
    'nsswitch.conf': readFileSync('/etc/nsswitch.conf', 'utf8').replace(/^hosts:.*$/m, 'hosts:          files dns'),
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(path.join(world.dir, name), content);
    runOrThrow('mount', ['--bind', path.join(world.dir, name), `/etc/${name}`]);
  }
  if (world.caBundle && existsSync(SYSTEM_CA_BUNDLE)) runOrThrow('mount', ['--bind', world.caBundle, SYSTEM_CA_BUNDLE]);
}
