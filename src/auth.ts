// Basic Auth tokens from AUTH_FILE (docs/behaviour.md §4 step 1): every non-empty line, exact bytes
// (a trailing CR stays, so a CRLF file never matches; spaces, tabs and backslashes stay;
// NUL bytes are dropped as dash's `read` drops them: src/compat/dash-read.ts), base64-encoded.
// Read per request, or through a stat-keyed cache with the same effect: an edit applies to the
// next request.
// [D8] A set AUTH_FILE that cannot be read fails closed: every request gets 401.
// [D41] So does a set AUTH_FILE without a token (empty, only empty or NUL lines): the originals
// read it as "no auth", which also opened the probe to everyone for the instant an operator's
// `printf ... > auth` had truncated the file and not yet written it.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync, type BigIntStats } from 'node:fs';
import { encode } from './bytes.ts';
import { readFileLines } from './compat/dash-read.ts';
import { errnoCode, errnoReason } from './errno.ts';

export type AuthState =
  /** No AUTH_FILE (unset or empty variable): no auth required. */
  | { readonly kind: 'open' }
  | { readonly kind: 'tokens'; readonly tokens: readonly string[] }
  /** [D8] Set but unreadable, [D41] or without a token: nobody gets in; `message` names the file. */
  | { readonly kind: 'closed'; readonly message: string };

/** The tokens of an AUTH_FILE's bytes (pure): its non-empty lines as `read` reads them, base64-encoded. */
export function tokensFromFile(bytes: Buffer): string[] {
  return readFileLines(bytes)
    .filter((line) => line !== '')
    .map((line) => Buffer.from(line, 'latin1').toString('base64'));
}

/** The state of the AUTH_FILE `file` holding these bytes (pure): its tokens, or closed [D41]. */
export function authStateFromFile(file: string, bytes: Buffer): AuthState {
  const tokens = tokensFromFile(bytes);
  if (tokens.length > 0) return { kind: 'tokens', tokens };
  return { kind: 'closed', message: `AUTH_FILE ${file} holds no token (no non-empty line): refusing every request` };
}

function closedState(file: string, error: unknown): AuthState {
  const reason = errnoReason(error) ?? errnoCode(error) ?? String(error);
  return { kind: 'closed', message: `cannot read AUTH_FILE ${file} (${reason}): refusing every request` };
}

export function readAuthStateSync(file: string | null): AuthState {
  if (file === null) return { kind: 'open' };
  try {
    return authStateFromFile(file, readFileSync(encode(file)));
  } catch (error) {
    return closedState(file, error);
  }
}

/**
 * How long after its last change a file's stat cannot vouch for its content: a rewrite of the
 * same size within the file system's clock tick (a few ms; a second or two on some file
 * systems) leaves size and times unchanged.
 */
export const SETTLE_NS = 2_000_000_000n;

/**
 * Whether a read may be kept for as long as the stat taken before it holds (pure): the read has
 * the size the stat saw (not a file caught between an operator's truncation and write, D41),
 * and the file's last change is older than SETTLE_NS.
 */
export function readMatchesStat(stat: { size: bigint; mtimeNs: bigint; ctimeNs: bigint }, readBytes: number, nowNs: bigint): boolean {
  const changedNs = stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs;
  return BigInt(readBytes) === stat.size && nowNs - changedNs >= SETTLE_NS;
}

/** The file system and clock AuthFileCache reads (tests interleave a rewrite with them). */
export interface AuthFileIo {
  stat(file: string): Promise<Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>>;
  readFile(file: string): Promise<Buffer>;
  nowNs(): bigint;
}

/**
 * Re-reads the file only when its identity, size or times changed since the last read, and on
 * every request while it is settling (readMatchesStat), so an edit applies to the next request.
 */
export class AuthFileCache {
  private key = '';
  private state: AuthState | null = null;

  constructor(
    private readonly file: string | null,
    private readonly io: AuthFileIo = {
      stat: (file) => stat(encode(file), { bigint: true }),
      readFile: (file) => readFile(encode(file)),
      nowNs: () => BigInt(Date.now()) * 1_000_000n,
    },
  ) {}

  async current(): Promise<AuthState> {
    if (this.file === null) return { kind: 'open' };
    try {
      const info = await this.io.stat(this.file);
      const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
      if (key === this.key && this.state !== null) return this.state;
      const bytes = await this.io.readFile(this.file);
      const state = authStateFromFile(this.file, bytes);
      const keep = readMatchesStat(info, bytes.length, this.io.nowNs());
      this.key = keep ? key : '';
      this.state = keep ? state : null;
      return state;
    } catch (error) {
      this.key = '';
      this.state = null;
      return closedState(this.file, error);
    }
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'latin1').digest();
}

// The tokens' digests, made once per token list: the probe's cached AuthState keeps one list
// until the file changes, so a request digests only the token it presents.
const tokenDigests = new WeakMap<readonly string[], readonly Buffer[]>();

function digestsOf(tokens: readonly string[]): readonly Buffer[] {
  let digests = tokenDigests.get(tokens);
  if (!digests) {
    digests = tokens.map(digest);
    tokenDigests.set(tokens, digests);
  }
  return digests;
}

/**
 * Whether the presented token equals one of the tokens. Every token is compared, each in
 * constant time over fixed-length digests, so timing reveals neither which token matched
 * nor how much of one did.
 */
export function tokenAccepted(presented: string, tokens: readonly string[]): boolean {
  const mine = digest(presented);
  let accepted = false;
  for (const expected of digestsOf(tokens)) {
    if (timingSafeEqual(mine, expected)) accepted = true;
  }
  return accepted;
}

export function isAuthorized(state: AuthState, presented: string): boolean {
  if (state.kind === 'open') return true;
  if (state.kind === 'closed') return false;
  return tokenAccepted(presented, state.tokens);
}
