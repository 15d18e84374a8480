// Peer discovery (docs/behaviour.md §6.4): the address column of `getent hosts PEERS_DNS`, in getent's
// order, minus local addresses. getent is spawned rather than emulated: getaddrinfo (Node's
// dns.lookup) sorts addresses by RFC 6724 and merges families, while getent asks
// gethostbyname2 for IPv6 first, then IPv4, and keeps NSS's order (hosts file, then DNS in
// answer order). The child is bounded in time and killed (D21).
import { spawn, type ChildProcess } from 'node:child_process';
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import os from 'node:os';
import { commandLine, decode } from '../../bytes.ts';
import { errnoCode } from '../../errno.ts';

const running = new Set<ChildProcess>();

/** D21: the resolver's time beyond TIMEOUT. */
const RESOLVE_EXTRA_MS = 1000;

/**
 * D21: how long a resolver (getent, Node's) may take: TIMEOUT + 1 s. The extra second keeps a
 * resolver that replies (or gives up) in about TIMEOUT on the originals' path: the same
 * output, not a race. TIMEOUT=0 is curl's "no limit"; then the resolver is not limited either.
 */
export function resolveBudgetMs(timeoutMs: number): number {
  return timeoutMs > 0 ? timeoutMs + RESOLVE_EXTRA_MS : 0;
}

/** Kills every getent still running (on SIGTERM, so nothing outlives the watcher). */
export function killResolvers(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface Resolution {
  readonly addresses: string[];
  /** Why the list is empty when it is not simply "no such name" (for the operator). */
  readonly problem?: string;
  /** The command could not be started at all (no getent on PATH). */
  readonly missing?: boolean;
}

/** Addresses of `name` as `getent hosts name` prints them; [] on any failure or after timeoutMs. */
export function resolvePeers(name: string, timeoutMs: number, command: readonly string[] = ['getent', 'hosts']): Promise<Resolution> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // The name's bytes as they are (src/bytes.ts): PEERS_DNS need not be UTF-8.
      const line = commandLine(command[0] as string, [...command.slice(1), name]);
      child = spawn(line.file, line.args, { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (err) {
      resolve({ addresses: [], problem: `getent: ${(err as Error).message}` });
      return;
    }
    running.add(child);
    const out: Buffer[] = [];
    let kept = 0;
    let problem: string | undefined;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            problem = `${command.join(' ')} ${name} did not answer within ${timeoutMs / 1000}s`;
            child.kill('SIGKILL');
          }, timeoutMs)
        : undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (kept < 1 << 20) out.push(chunk);
      kept += chunk.length;
    });
    let missing = false;
    child.on('error', (err: NodeJS.ErrnoException) => {
      missing = err.code === 'ENOENT';
      problem = `${command[0]}: ${err.message}`;
    });
    child.on('close', (status) => {
      // 127: the shell of commandLine() found no such command.
      if (status === 127 && problem === undefined) {
        missing = true;
        problem = `${command[0]}: not found`;
      }
      running.delete(child);
      if (timer) clearTimeout(timer);
      resolve({
        addresses: problem ? [] : parseGetentHosts(decode(Buffer.concat(out))),
        ...(problem ? { problem } : {}),
        ...(missing ? { missing } : {}),
      });
    });
  });
}

/**
 * NSS "files" alone, for when getent did not answer in time (D21): the addresses of `name` in
 * a hosts file, in file order, IPv6 ones only when there are any (gethostbyname2 asks for
 * IPv6 first), as getent would have printed them had DNS answered nothing.
 */
export function hostsFileAddresses(name: string, hostsText: string): string[] {
  const wanted = name.toLowerCase();
  const v4: string[] = [];
  const v6: string[] = [];
  for (const raw of hostsText.split('\n')) {
    const words = (raw.split('#')[0] ?? '').trim().split(/\s+/);
    const [address, ...names] = words;
    if (!address || !names.some((n) => n.toLowerCase() === wanted)) continue;
    if (isIP(address) === 6) v6.push(address);
    else if (isIP(address) === 4) v4.push(address);
  }
  return v6.length > 0 ? v6 : v4;
}

/**
 * Without getent on PATH (D21): Node's resolver (getaddrinfo, NSS too), IPv6 first like
 * gethostbyname2, bounded by timeoutMs. getaddrinfo may sort the addresses (RFC 6724), so the
 * order can differ from getent's; the set is the same. `problem` is set when the resolver did
 * not answer (D43: see lookupTrouble), not for a name without addresses.
 */
export async function lookupPeers(name: string, timeoutMs: number): Promise<Resolution> {
  const found = await bounded(
    (async () => {
      const v6 = await lookupAddresses(name, 6);
      if (v6.addresses.length > 0) return v6;
      // The hosts file may hold IPv4 addresses for the name while DNS fails for AAAA.
      const v4 = await lookupAddresses(name, 4);
      return v4.addresses.length > 0 ? v4 : { addresses: [], trouble: v6.trouble ?? v4.trouble };
    })(),
    timeoutMs,
  );
  if (found === undefined) return { addresses: [], problem: `the resolver did not answer within ${timeoutMs / 1000}s` };
  return { addresses: found.addresses, ...(found.trouble !== undefined ? { problem: found.trouble } : {}) };
}

/**
 * D43: after getent printed nothing, whether that was an answer (the name has no addresses)
 * or the resolver's failure (getent exits 2 for both: NXDOMAIN, an empty answer, SERVFAIL, a
 * timeout, no server). getaddrinfo tells them apart: undefined for an answer, else why.
 * Bounded by timeoutMs (a lookup that outlives it keeps a libuv thread until the resolver's
 * own timeouts end it: getent, which just ended by itself, took about as long).
 */
export async function resolverTrouble(name: string, timeoutMs: number): Promise<string | undefined> {
  const found = await bounded(lookupAddresses(name), timeoutMs);
  return found === undefined ? `the resolver did not answer within ${timeoutMs / 1000}s` : found.trouble;
}

/**
 * Why a getaddrinfo failure is not an answer, or undefined when it is one. Node reports
 * EAI_NONAME and EAI_NODATA (NXDOMAIN, no address of the family) as ENOTFOUND: an answer.
 * EAI_AGAIN is glibc's word for SERVFAIL, a timeout or no server; EAI_FAIL for a refusal.
 */
export function lookupTrouble(code: string | undefined): string | undefined {
  if (code === 'ENOTFOUND') return undefined;
  if (code === 'EAI_AGAIN') return 'temporary failure in name resolution';
  if (code === 'EAI_FAIL') return 'non-recoverable failure in name resolution';
  return `getaddrinfo ${code ?? 'failed'}`;
}

interface Lookup {
  readonly addresses: string[];
  readonly trouble?: string | undefined;
}

async function lookupAddresses(name: string, family?: 4 | 6): Promise<Lookup> {
  try {
    const found = await dns.lookup(name, { all: true, ...(family !== undefined ? { family } : {}) });
    return { addresses: found.map((a) => a.address) };
  } catch (err) {
    return { addresses: [], trouble: lookupTrouble(errnoCode(err)) };
  }
}

/** `work`'s result, or undefined when it takes longer than timeoutMs (0: no limit). */
export async function bounded<T>(work: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  if (timeoutMs <= 0) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first word of each line of `getent hosts` output. */
export function parseGetentHosts(output: string): string[] {
  const addresses: string[] = [];
  for (const line of output.split('\n')) {
    // awk's `$1`: leading blanks skipped.
    const word = /^[ \t]*([^ \t]+)/.exec(line)?.[1];
    if (word) addresses.push(word);
  }
  return addresses;
}

/**
 * What `hostname -I` prints: every address of every interface except loopback (127/8, ::1)
 * and IPv6 link-local (fe80::/10), in interface order. Read from the kernel through Node,
 * so no `hostname` binary is needed.
 */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.internal) continue;
      const a = info.address;
      if (info.family === 'IPv4' && a.startsWith('127.')) continue;
      if (info.family === 'IPv6' && (a === '::1' || /^fe[89ab]/i.test(a))) continue;
      out.push(a);
    }
  }
  return out;
}

/** SELF's words when set, else the host's own addresses. */
export function localAddresses(self: readonly string[] | null): readonly string[] {
  return self ?? hostAddresses();
}

/**
 * Drops every address that is exactly one of the local words, keeping order (duplicates too).
 * The originals test ` <address> ` in ` <words> `; for an address without spaces (awk's `$1`
 * of getent's line) that is the same as equality with one space-separated word.
 */
export function dropLocal(addresses: readonly string[], locals: readonly string[]): string[] {
  const set = new Set(locals);
  return addresses.filter((a) => !set.has(a));
}
