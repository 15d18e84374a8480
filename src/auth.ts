// Basic Auth tokens from AUTH_FILE (docs/behaviour.md §4 step 1): every non-empty line, exact bytes
// (a trailing CR stays, so a CRLF file never matches; spaces, tabs and backslashes stay;
// NUL bytes are dropped as dash's `read` drops them), base64-encoded. Read per request, or
// through a stat-keyed cache with the same effect: an edit applies to the next request.
// [D8] A set AUTH_FILE that cannot be read fails closed: every request gets 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { encode } from './bytes.ts';
import { errnoCode, errnoReason } from './errno.ts';

export type AuthState =
  /** No AUTH_FILE, or a file without a non-empty line: no auth required. */
  | { readonly kind: 'open' }
  | { readonly kind: 'tokens'; readonly tokens: readonly string[] }
  /** [D8] Set but unreadable: nobody gets in; `message` names the file. */
  | { readonly kind: 'closed'; readonly message: string };

/** The tokens of an AUTH_FILE's bytes (pure). */
export function tokensFromFile(bytes: Buffer): string[] {
  const tokens: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    // dash's `read` drops NUL bytes (§9): `us\0er:pass` is the line `user:pass`, and a line
    // of NULs only is empty.
    const line = bytes.subarray(start, end).filter((byte) => byte !== 0);
    if (line.length > 0) tokens.push(Buffer.from(line).toString('base64'));
    start = end + 1;
  }
  return tokens;
}

export function authStateFromFile(bytes: Buffer): AuthState {
  const tokens = tokensFromFile(bytes);
  return tokens.length === 0 ? { kind: 'open' } : { kind: 'tokens', tokens };
}

function closedState(file: string, error: unknown): AuthState {
  const reason = errnoReason(error) ?? errnoCode(error) ?? String(error);
  return { kind: 'closed', message: `cannot read AUTH_FILE ${file} (${reason}): refusing every request` };
}

export function readAuthStateSync(file: string | null): AuthState {
  if (file === null) return { kind: 'open' };
  try {
    return authStateFromFile(readFileSync(encode(file)));
  } catch (error) {
    return closedState(file, error);
  }
}

/** Re-reads the file only when its identity, size or times changed since the last read. */
export class AuthFileCache {
  private key = '';
  private state: AuthState | null = null;

  constructor(private readonly file: string | null) {}

  async current(): Promise<AuthState> {
    if (this.file === null) return { kind: 'open' };
    try {
      const info = await stat(encode(this.file), { bigint: true });
      const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
      if (key !== this.key || this.state === null) {
        const state = authStateFromFile(await readFile(encode(this.file)));
        this.key = key;
        this.state = state;
      }
      return this.state;
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
