// The /disk route (docs/behaviour.md §4 step 8): for every VOLUMES word (glob-expanded like the
// shell), the five columns `df -P <word>` prints, from statfs(2) and the mount table rather
// than a df process per word. Where the fast path cannot decide as df would (a device node,
// a path no mount entry claims), the port asks df itself. [D2] a word df cannot resolve is
// skipped (its df-style error line still goes to stderr). Paths are text as src/bytes.ts keeps
// bytes: a mount point or VOLUMES word is reported with the bytes it has.
import { statfsSync } from 'node:fs';
import { readFile, realpath, stat, statfs } from 'node:fs/promises';
import { commandLine, decode, encode, fromLatin1, jsonString } from './bytes.ts';
import { errnoText } from './errno.ts';
import { globWords } from './compat/dash-glob.ts';

export interface DfRow {
  readonly mount: string;
  readonly sizeBlocks: bigint;
  readonly used: bigint;
  readonly avail: bigint;
  /** `NN%`, or `-` for a file system of size zero. */
  readonly capacity: string;
}

export interface DiskReport {
  readonly rows: DfRow[];
  /** df's own error lines for the words it could not resolve, in order. */
  readonly errors: string[];
}

/** What `df -P <path>` says about one path: its row, or its error line. */
export type PathReport = { readonly kind: 'row'; readonly row: DfRow } | { readonly kind: 'error'; readonly line: string };

export interface MountEntry {
  readonly dir: string;
  readonly type: string;
  readonly source: string;
  readonly dev: number;
  readonly dummy: boolean;
}

// gnulib's list of "dummy" file system types (df prefers a real one over these).
const DUMMY_TYPES = new Set([
  'autofs',
  'proc',
  'subfs',
  'debugfs',
  'devpts',
  'fusectl',
  'fuse.portal',
  'mqueue',
  'rpc_pipefs',
  'sysfs',
  'devfs',
  'kernfs',
  'ignore',
]);

/**
 * File systems whose statfs(2) only reads counters the kernel keeps in memory: it never waits
 * on a device or a server, so the probe makes the call on its event loop (no thread-pool round
 * trip per report). Any other type (nfs, cifs, fuse, 9p...) can hang and stays off the loop.
 */
const IN_MEMORY_STATFS_TYPES = new Set([
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'f2fs',
  'vfat',
  'exfat',
  'tmpfs',
  'ramfs',
  'devtmpfs',
  'overlay',
  'squashfs',
]);

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** glibc's makedev(): the st_dev value stat() reports for a major:minor pair. */
export function makeDev(major: number, minor: number): number {
  return (major & 0xfff) * 256 + (minor & 0xff) + (minor & ~0xff) * 4096 + (major & ~0xfff) * 2 ** 32;
}

/** Parses /proc/self/mountinfo, given as a latin1 string of its bytes (pure); fields as text. */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (separator < 0 || fields.length < separator + 3) continue;
    const [major, minor] = (fields[2] ?? '').split(':').map(Number);
    const field = (index: number): string => fromLatin1(unescapeMountField(fields[index] as string));
    const type = field(separator + 1);
    const source = field(separator + 2);
    entries.push({
      dir: field(4),
      type,
      source,
      dev: makeDev(major ?? 0, minor ?? 0),
      dummy: DUMMY_TYPES.has(type) || source === 'none',
    });
  }
  return entries;
}

/** df's choice of mount entry by path prefix: the longest, the last of equals (pure). */
export function bestPrefixMount(entries: readonly MountEntry[], resolved: string): MountEntry | null {
  let best: MountEntry | null = null;
  let bestLength = 0;
  for (const entry of entries) {
    if (entry.type === 'lofs') continue;
    if (best && !best.dummy && entry.dummy) continue;
    const len = entry.dir.length;
    if (bestLength <= len && len <= resolved.length) {
      const prefixOk = len === 1 || ((len === resolved.length || resolved[len] === '/') && resolved.startsWith(entry.dir));
      if (prefixOk && entry.dir.startsWith('/')) {
        best = entry;
        bestLength = len;
      }
    }
  }
  return best;
}

/** df's ceiling division: blocks of `blockSize` bytes as 1024-byte blocks. */
function toKiB(blocks: bigint, blockSize: bigint): bigint {
  const bytes = blocks * blockSize;
  return bytes / 1024n + (bytes % 1024n === 0n ? 0n : 1n);
}

/** The five df -P columns from statfs figures (pure). */
export function dfRow(mount: string, bsize: bigint, blocks: bigint, bfree: bigint, bavail: bigint): DfRow {
  const used = blocks - bfree;
  const total = used + bavail;
  let capacity = '-';
  if (total > 0n) {
    const u100 = used * 100n;
    capacity = `${u100 / total + (u100 % total === 0n ? 0n : 1n)}%`;
  }
  return { mount, sizeBlocks: toKiB(blocks, bsize), used: toKiB(used, bsize), avail: toKiB(bavail, bsize), capacity };
}

export function formatDfEntry(row: DfRow): string {
  return (
    `{"mount":${jsonString(row.mount)},"size_blocks":${row.sizeBlocks},"used":${row.used},` +
    `"avail":${row.avail},"use_percent":"${row.capacity}"}`
  );
}

/** [D2] Only resolvable words produce entries: the JSON stays valid. */
export function diskBody(rows: readonly DfRow[]): string {
  return `{"volumes":[${rows.map(formatDfEntry).join(',')}]}`;
}

/** coreutils' quoting of a file name in its error lines (shell-escape style). */
export function quoteName(name: string): string {
  if (name !== '' && /^[A-Za-z0-9_%+,\-./:=@^]+$/.test(name)) return name;
  return `'${name.replace(/'/g, "'\\''")}'`;
}

/** df's line for a failed stat/statfs: strerror's text, or Node's message for a code not in the table. */
function dfError(path: string, error: unknown): PathReport {
  const text = errnoText(error) ?? String((error as Error | undefined)?.message ?? error);
  return { kind: 'error', line: `df: ${quoteName(path)}: ${text}` };
}

/**
 * Parses a line of `df -P` output into a row (pure); null if it is not one. [D18] The mount
 * point is the whole rest of the line, spaces included (the originals' awk took `$6`).
 */
export function parseDfLine(line: string): DfRow | null {
  const match = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%|-)\s+(\/.*)$/.exec(line);
  if (!match) return null;
  const [, , size, used, avail, capacity, mount] = match as unknown as [string, string, string, string, string, string, string];
  return { mount, sizeBlocks: BigInt(size), used: BigInt(used), avail: BigInt(avail), capacity };
}

async function runDf(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  const line = commandLine('df', ['-P', ...args]);
  return new Promise((resolve) => {
    execFile(line.file, line.args, { encoding: 'buffer', timeout: 3000 }, (_error, stdout, stderr) =>
      resolve({ stdout: decode(stdout), stderr: decode(stderr) }),
    );
  });
}

/** Asks df itself about one path: the fallback for what the fast path cannot decide. */
async function dfByProcess(word: string): Promise<PathReport> {
  const { stdout, stderr } = await runDf(['--', word]);
  const row = parseDfLine(stdout.split('\n')[1] ?? '');
  if (row) return { kind: 'row', row };
  return { kind: 'error', line: stderr.trimEnd() || `df: ${quoteName(word)}: cannot be reported` };
}

/** The mount points `df -P` lists: the default VOLUMES, recomputed on every request. */
export async function defaultVolumes(): Promise<string[]> {
  const { stdout } = await runDf([]);
  return stdout
    .split('\n')
    .slice(1)
    .map((line) => parseDfLine(line)?.mount)
    .filter((mount): mount is string => mount !== undefined && mount !== '');
}

async function readMounts(): Promise<MountEntry[]> {
  try {
    return parseMountInfo(await readFile('/proc/self/mountinfo', 'latin1'));
  } catch {
    return [];
  }
}

/**
 * Which mount a path belongs to changes only when something is mounted or unmounted, so a
 * long-running probe remembers it for a second: a repeated report is then one statfs(2).
 * A path that went missing still fails in statfs, with the same error line.
 */
export const MOUNT_MEMORY_MS = 1000;
const mountMemory = new Map<string, { readonly mount: MountEntry; readonly until: number }>();

/** One path, as `df -P <path>` reports it. */
async function reportPath(path: string, mounts: () => Promise<MountEntry[]>): Promise<PathReport> {
  const known = mountMemory.get(path);
  if (known && known.until > Date.now()) return statfsRow(path, known.mount);
  let info;
  try {
    info = await stat(encode(path));
  } catch (error) {
    return dfError(path, error);
  }
  if (!info.isDirectory() && !info.isFile()) return dfByProcess(path);
  let entry: MountEntry | null = null;
  const entries = await mounts();
  try {
    entry = bestPrefixMount(entries, decode(await realpath(encode(path), { encoding: 'buffer' })));
    if (entry && (await stat(encode(entry.dir))).dev !== info.dev) entry = null;
  } catch {
    entry = null;
  }
  if (!entry) {
    for (const candidate of entries) {
      if (candidate.dev !== info.dev || candidate.type === 'lofs') continue;
      if (entry && !entry.dummy && candidate.dummy) continue;
      try {
        if ((await stat(encode(candidate.dir))).dev === candidate.dev) entry = candidate;
      } catch {
        // a bogus mount entry: df skips it too
      }
    }
  }
  if (!entry) return dfByProcess(path);
  if (mountMemory.size > 1000) mountMemory.clear(); // VOLUMES globs could name many paths
  mountMemory.set(path, { mount: entry, until: Date.now() + MOUNT_MEMORY_MS });
  return statfsRow(path, entry);
}

async function statfsRow(path: string, mount: MountEntry): Promise<PathReport> {
  try {
    const bytes = encode(path);
    const fs = IN_MEMORY_STATFS_TYPES.has(mount.type) ? statfsSync(bytes, { bigint: true }) : await statfs(bytes, { bigint: true });
    return { kind: 'row', row: dfRow(mount.dir, fs.bsize, fs.blocks, fs.bfree, fs.bavail) };
  } catch (error) {
    mountMemory.delete(path);
    return dfError(path, error);
  }
}

/** The disk report for VOLUMES (null: every mount point df lists). */
export async function diskReport(volumes: readonly string[] | null): Promise<DiskReport> {
  const words = volumes ?? (await defaultVolumes());
  let mountCache: Promise<MountEntry[]> | null = null;
  const mounts = (): Promise<MountEntry[]> => (mountCache ??= readMounts());
  const paths = await globWords(words);
  const results = await Promise.all(paths.map((path) => reportPath(path, mounts)));
  const rows: DfRow[] = [];
  const errors: string[] = [];
  for (const result of results) {
    if (result.kind === 'error') errors.push(result.line);
    else rows.push(result.row);
  }
  return { rows, errors };
}
