// Silences (docs/behaviour.md §10 "Silences"): while a peer is silenced, its changes are not
// announced (delivery/silence.ts holds them). They are set by `watcher silence` (../bin and
// silence-command.ts) in one file, STATE_DIR/silences.json: no `.state` suffix, so it is never
// taken for a peer's state file, and written atomically (state.ts writeFileAtomic) so the
// watcher, which only reads it, never sees half of one.
//
//   {"sentinella_silences":1,"silences":{"10.0.0.3":{"until":1764957600,"reason":"kernel upgrade"}}}
//
// Keyed by the address the peer is polled at (the host of its URL, as getent printed it);
// `until`: seconds since the epoch. The parsing and the texts here are pure; the file's reading
// is at the end (SilencesFile: re-read only when the file changed, one stat a round).
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { encode } from '../bytes.ts';
import { errnoCode, errnoText } from '../errno.ts';

export const SILENCES_FILE = 'silences.json';
export const SILENCES_VERSION = 1;

export interface Silence {
  /** When it ends, ms since the epoch. */
  readonly untilMs: number;
  /** Why, as given ('' for none). */
  readonly reason: string;
}

/** Silences by peer address. */
export type Silences = ReadonlyMap<string, Silence>;

export function silencesPath(stateDir: string): string {
  return path.join(stateDir, SILENCES_FILE);
}

/** A bad argument or a bad file: the message says what and how to fix it. */
export class SilenceError extends Error {
  override name = 'SilenceError';
}

// ---- durations

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };
/** The longest silence: one year (a silence is for maintenance, not for a peer gone for good). */
export const MAX_SILENCE_S = 365 * 86400;

/** `90s`, `30m`, `2h`, `1d`: a whole number and one unit, in seconds; anything else is an error. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)([smhd])$/.exec(text);
  if (!match) {
    throw new SilenceError(`invalid duration '${text}': a whole number and a unit, s, m, h or d (90s, 30m, 2h, 1d)`);
  }
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
  if (seconds === 0) throw new SilenceError(`invalid duration '${text}': it must be longer than 0`);
  if (seconds > MAX_SILENCE_S) throw new SilenceError(`invalid duration '${text}': at most 365d`);
  return seconds;
}

/** A duration for people, in whole seconds: its two largest units (`1d2h`, `59m30s`, `45s`). */
export function formatDuration(seconds: number): string {
  let left = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_SECONDS[unit] as number;
    if (left >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(left / size)}${unit}`);
      left %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('');
}

/** When a silence ends, for the log and the list: ISO 8601 in UTC, to the second. */
export function formatUntil(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// ---- peers

/** What `<peer>` names: an address as the watcher polls it, or a host name still to resolve. */
export type PeerArgument = { readonly address: string } | { readonly name: string };

/**
 * `<peer>` of the commands: an address (IPv6 with or without brackets), a peer URL
 * (`http://10.0.0.3:5988`: its host), or a host name. An IPv6 address is written as getent
 * prints it (inet_ntop: lower case, the longest run of zeros as `::`), the form the watcher's
 * peer URLs hold.
 */
export function readPeerArgument(text: string): PeerArgument {
  let host = text;
  if (text.includes('://')) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new SilenceError(`invalid peer '${text}': not a URL`);
    }
    host = url.hostname;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) === 4) return { address: host };
  if (isIP(host) === 6) return { address: canonicalIpv6(host) };
  // A name getent is asked about: never one it would take for an option.
  if (host === '' || host.startsWith('-') || /[\s/\\]/.test(host)) {
    throw new SilenceError(`invalid peer '${text}': an address, a host name or a peer URL (10.0.0.3, node3.example, http://10.0.0.3:5988)`);
  }
  return { name: host };
}

function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase(); // a zone (`fe80::1%eth0`): the URL parser refuses it
  }
}

// ---- the file

/** The file's text: one line, addresses sorted, `until` in whole seconds. */
export function renderSilences(silences: Silences): string {
  return `${JSON.stringify({ sentinella_silences: SILENCES_VERSION, silences: silenceEntries(silences) })}\n`;
}

/** `address → {until, reason}`, addresses sorted, `until` in whole seconds: the file's `silences` and a view's. */
export function silenceEntries(silences: Silences): Record<string, { until: number; reason: string }> {
  const entries: Record<string, { until: number; reason: string }> = {};
  for (const address of [...silences.keys()].sort()) {
    const s = silences.get(address) as Silence;
    entries[address] = { until: Math.ceil(s.untilMs / 1000), reason: s.reason };
  }
  return entries;
}

/** The file's silences, or a SilenceError saying why the text is not a silences file. */
export function parseSilences(text: string): Map<string, Silence> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SilenceError('not JSON');
  }
  if (!isObject(json) || json.sentinella_silences !== SILENCES_VERSION || !isObject(json.silences)) {
    throw new SilenceError(`not a version ${SILENCES_VERSION} silences file`);
  }
  return readSilenceEntries(json.silences);
}

/**
 * `address → {until, reason}` entries (the file's `silences`, and a view's under QUORUM): an
 * entry without a numeric `until` is an error; `reason` is optional.
 */
export function readSilenceEntries(entries: Record<string, unknown>): Map<string, Silence> {
  const silences = new Map<string, Silence>();
  for (const [address, entry] of Object.entries(entries)) {
    if (!isObject(entry) || typeof entry.until !== 'number' || !Number.isFinite(entry.until)) {
      throw new SilenceError(`the silence of ${address} has no until`);
    }
    silences.set(address, { untilMs: entry.until * 1000, reason: typeof entry.reason === 'string' ? entry.reason : '' });
  }
  return silences;
}

/** The silences still running at `nowMs`. */
export function activeSilences(silences: Silences, nowMs: number): Map<string, Silence> {
  return new Map([...silences].filter(([, s]) => s.untilMs > nowMs));
}

/**
 * Silences from several places (this node's file, other nodes' views under QUORUM) as one:
 * for an address silenced in more than one, the one that ends last.
 */
export function mergeSilences(...sources: readonly Silences[]): Map<string, Silence> {
  const merged = new Map<string, Silence>();
  for (const source of sources) {
    for (const [address, s] of source) {
      const known = merged.get(address);
      if (known === undefined || s.untilMs > known.untilMs) merged.set(address, s);
    }
  }
  return merged;
}

// ---- QUORUM: silences in the views (docs/behaviour.md §10 "Silences")

/**
 * A view's `silences` field as this node reads it: the silences its writer set on itself
 * (`silenceEntries` of its own file). A view without the field, or with one that is not
 * `address → {until, reason}`, carries none; it is still a view (the quorum reads the rest).
 */
export function readViewSilences(field: unknown): Map<string, Silence> {
  if (!isObject(field)) return new Map();
  try {
    return readSilenceEntries(field);
  } catch {
    return new Map();
  }
}

/**
 * The silences other nodes' fresh views carried, by the node that wrote each view. A view seen
 * again replaces what its node said before (an `unsilence` there ends it here); a node's
 * silences are kept until they run out even when its view is not fetched again (QUORUM fetches
 * views only for peers with a pending change). `current()` is delivery/silence.ts's `others`.
 *
 * Under QUORUM (quorum/quorum.ts): the view it writes carries `silenceEntries(policy.ownActive)`
 * (quorum/view.ts); each fresh view it fetches is passed on as `views.seen(view.node, ...)`; the
 * watcher builds its policy as `silencePolicy(stateDir, stderr, views)`, the quorum inside
 * `policy.around(...)` and each channel behind `policy.gate(...)` (watcher.ts, for-config.ts).
 */
export class ViewSilences {
  private readonly byNode = new Map<string, Silences>();

  /** A fresh view from `node`, its `silences` field read by readViewSilences. */
  seen(node: string, silences: Silences): void {
    this.byNode.set(node, silences);
  }

  current(): Silences {
    return mergeSilences(...this.byNode.values());
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file read: its silences (none when it does not exist), or why it could not be used. */
export type SilencesReading =
  { readonly ok: true; readonly silences: Map<string, Silence> } | { readonly ok: false; readonly problem: string };

export function readSilencesFile(file: string): SilencesReading {
  let text: string;
  try {
    text = fs.readFileSync(encode(file), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { ok: true, silences: new Map() };
    return { ok: false, problem: `cannot read ${file}: ${errnoText(err) ?? errnoCode(err) ?? String(err)}` };
  }
  try {
    return { ok: true, silences: parseSilences(text) };
  } catch (err) {
    return { ok: false, problem: `${file} is not a silences file (${(err as Error).message})` };
  }
}

/**
 * The watcher's view of the file: read again only when it changed (its inode, size, mtime or
 * ctime: a rename by writeFileAtomic is a new inode), so a round costs one stat. A file that
 * cannot be used counts as no silences (alerts keep flowing) and `problem` says why, once per
 * version of the file.
 */
export class SilencesFile {
  private key: string | undefined;
  private silences: Silences = new Map();
  /** How many times the file was read (a test counts them). */
  reads = 0;

  constructor(
    readonly file: string,
    private readonly problem: (text: string) => void,
  ) {}

  current(): Silences {
    let key: string;
    try {
      const st = fs.statSync(encode(this.file));
      key = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch {
      key = 'none'; // no file (or no directory): no silences; a later one is read then
    }
    if (key !== this.key) {
      this.key = key;
      if (key !== 'none') this.reads += 1;
      const reading = key === 'none' ? ({ ok: true, silences: new Map() } as const) : readSilencesFile(this.file);
      this.silences = reading.ok ? reading.silences : new Map();
      if (!reading.ok) this.problem(`${reading.problem}: ignoring its silences until it is fixed`);
    }
    return this.silences;
  }
}
