// The /status route (contract §4 step 7): one HTTP GET per URL, redirects not followed,
// code = 3-digit status or 000 on failure, time as curl's %{time_total} (6 decimals), 0 on
// failure. The port runs the checks concurrently, bounds each [D11], and reports them in
// URLS order. The client (src/http/client.ts) loads node:http/https only when there is a URL
// to check, so a router with no URLS starts as fast as `node -e 0`.
import { hostSecureContext } from './http/ca.ts';
import { exchange, type RequestTarget } from './http/client.ts';

export interface CheckResult {
  /** The 3-digit status code, or '000' when the request failed (curl's value). */
  readonly code: string;
  /** Total time as curl prints it (`0.001741`), or '0' when the request failed. */
  readonly time: string;
}

export const FAILED: CheckResult = { code: '000', time: '0' };

/**
 * [D11] No check may run past this, whatever TIMEOUT says: the probe's peer closes an idle
 * connection after 5 s, so /status and / must answer well before that.
 */
export const CHECK_CAP_MS = 4000;

export function checkBudgetMs(timeoutSec: number): number {
  const asked = timeoutSec * 1000;
  // curl's --max-time 0 means "no limit"; here the cap applies then too.
  return asked > 0 ? Math.min(asked, CHECK_CAP_MS) : CHECK_CAP_MS;
}

/** curl's `%{time_total}`: seconds with exactly six decimals. */
export function formatSeconds(elapsedNs: bigint): string {
  const micros = elapsedNs / 1000n;
  return `${micros / 1000000n}.${String(micros % 1000000n).padStart(6, '0')}`;
}

/** A check is ok when its code begins with 2 or 3. */
export function isOk(code: string): boolean {
  return code.startsWith('2') || code.startsWith('3');
}

/** The log message for one check (through `log info`, so escapes in the URL are interpreted). */
export function checkLogMessage(url: string, result: CheckResult): string {
  return `${url} -> ${result.code}`;
}

/**
 * The body. [D1] a failed check's code is written `0` (valid JSON) instead of `000`.
 * [D15] the URL is a JSON string literal (escaped), never pasted raw.
 */
export function statusBody(urls: readonly string[], results: readonly CheckResult[]): string {
  let ok = 0;
  const checks = urls.map((url, i) => {
    const result = results[i] ?? FAILED;
    const good = isOk(result.code);
    if (good) ok += 1;
    return `{"url":${jsonString(url)},"code":${Number(result.code)},"time_s":${result.time},"ok":${good}}`;
  });
  return `{"checks":[${checks.join(',')}],"summary":{"total":${urls.length},"ok":${ok}}}`;
}

/** JSON.stringify, but leaving non-ASCII as the raw UTF-8 the originals would write. */
export function jsonString(value: string): string {
  return JSON.stringify(value);
}

/** Where a check goes: the URL's own bytes as the request target (see checkTarget). */
export type CheckTarget = RequestTarget;

/** RFC 3986 remove_dot_segments (curl applies it; the rest of the path stays as written). */
export function removeDotSegments(path: string): string {
  if (!/(^|\/)\.\.?(\/|$)/.test(path)) return path;
  const output: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (segment === '.') {
      if (last) output.push('');
    } else if (segment === '..') {
      output.pop();
      if (last) output.push('');
    } else {
      output.push(segment);
    }
  }
  return `/${output.join('/')}`;
}

/**
 * curl reads `{a,b}` and `[1-3]` in a URL as globs (the originals never pass -g): a broken
 * pattern fails (code 000) and a valid one fetches several URLs, whose run-together output
 * the originals paste into the JSON. The port fails every such check (000), the same for the
 * common case. An IPv6 host literal (`http://[::1]:8080/`) is not a glob.
 */
export function hasCurlGlob(url: string): boolean {
  const withoutIpv6Host = url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/?#@]*@)?\[[0-9A-Fa-f:.]+(%[^\]]*)?\]/, '');
  return /[{}[\]]/.test(withoutIpv6Host);
}

/**
 * Where a URL's check goes (pure); null when curl could not use it either. Like curl: no
 * scheme means http, the path is sent as written (no WHATWG re-encoding of `"` or `\`),
 * the fragment is dropped, bytes outside printable ASCII are percent-encoded.
 */
export function checkTarget(url: string): CheckTarget | null {
  if (hasCurlGlob(url)) return null;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  const protocol = scheme ? (scheme[1] as string).toLowerCase() : 'http';
  if (protocol !== 'http' && protocol !== 'https') return null;
  const rest = scheme ? url.slice(scheme[0].length) : url;
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let parsed: URL;
  try {
    parsed = new URL(`${protocol}://${authority}/`);
  } catch {
    return null;
  }
  if (parsed.hostname === '') return null;
  let target = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const query = target.indexOf('?');
  const pathPart = query < 0 ? target : target.slice(0, query);
  const search = query < 0 ? '' : target.slice(query);
  const path = `${removeDotSegments(pathPart.startsWith('/') ? pathPart : `/${pathPart}`)}${search}`;
  const encoded = Array.from(Buffer.from(path, 'utf8'))
    .map((byte) => (byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
  const https = protocol === 'https';
  let auth: string | undefined;
  try {
    // user:pass@ in the URL: curl sends it as Basic auth, so does the port.
    if (parsed.username || parsed.password) auth = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  } catch {
    return null;
  }
  return {
    https,
    hostname: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? (https ? 443 : 80) : Number(parsed.port),
    path: encoded,
    ...(auth === undefined ? {} : { auth }),
  };
}

/** One GET, bounded in total by budgetMs, body read and discarded (curl's time_total). */
export async function checkUrl(url: string, budgetMs: number): Promise<CheckResult> {
  const target = checkTarget(url);
  if (!target) return FAILED;
  const result = await exchange({
    target,
    method: 'GET',
    headers: [
      ['User-Agent', 'sentinella-probe'],
      ['Accept', '*/*'],
    ],
    timeoutMs: budgetMs,
    maxBodyBytes: 0,
    discardBody: true,
    // curl reads responses Node's strict parser refuses (a bare LF, an odd header byte).
    insecureHTTPParser: true,
  });
  if (result.error !== undefined) return FAILED;
  return { code: String(result.status).padStart(3, '0').slice(-3), time: formatSeconds(result.elapsedNs) };
}

/**
 * Runs checks for many concurrent /status requests. A URL whose check is already in flight
 * is not checked again: the new request joins the running check (coalescing), so outbound
 * checks never exceed one per URL at a time, however many clients ask.
 */
export class StatusChecker {
  private readonly inFlight = new Map<string, Promise<CheckResult>>();

  constructor(private readonly budgetMs: number) {}

  check(url: string): Promise<CheckResult> {
    const running = this.inFlight.get(url);
    if (running) return running;
    const started = checkUrl(url, this.budgetMs).finally(() => this.inFlight.delete(url));
    this.inFlight.set(url, started);
    return started;
  }

  async checkAll(urls: readonly string[]): Promise<CheckResult[]> {
    // Building the CA store blocks for a moment; done first, it is timed in no check.
    if (urls.some((url) => /^https:/i.test(url))) await hostSecureContext();
    return Promise.all(urls.map((url) => this.check(url)));
  }
}
