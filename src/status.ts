// The /status route (docs/behaviour.md §4 step 7): one HTTP GET per URL, redirects not
// followed, code = 3-digit status or 000 on failure, time as curl's %{time_total} (6 decimals),
// 0 on failure. The port runs the checks concurrently, bounds each [D11], and reports them in
// URLS order. Reading the URL and the response is curl's (src/compat/curl-url.ts,
// src/compat/curl-response.ts); the client loads node:net/tls only when there is a URL to
// check.
import { hostSecureContext } from './http/ca.ts';
import { httpCode } from './compat/curl-options.ts';
import { jsonString } from './bytes.ts';
import { send } from './http/client.ts';

export interface CheckResult {
  /** The 3-digit status code, or '000' when the request failed (curl's value). */
  readonly code: string;
  /** Total time as curl prints it (`0.001741`), or '0' when the request failed. */
  readonly time: string;
  /** https: when the certificate the server presented expires (ms since the epoch), when one was read. */
  readonly certExpiresMs?: number;
}

/** CERT_DAYS (docs/behaviour.md §10): the threshold in days, and the time the body is made at. */
export interface CertPolicy {
  readonly days: number;
  readonly nowMs: number;
}

/** One check as /status reports it (and the status page shows it). */
export interface StatusCheck {
  readonly url: string;
  /** Three digits, `000` when the request failed. */
  readonly code: string;
  readonly time: string;
  readonly ok: boolean;
  /** With CERT_DAYS, for a check that read a certificate: the days it has left, one decimal (`12.4`). */
  readonly certDays?: string;
  /** With CERT_DAYS: the code was good, the certificate expires within CERT_DAYS days. */
  readonly certExpiring: boolean;
}

export const FAILED: CheckResult = { code: '000', time: '0' };

/**
 * [D11] No check may run past this, whatever TIMEOUT says: the probe's peer closes an idle
 * connection after 5 s, so /status and / must answer well before that.
 */
export const CHECK_CAP_MS = 4000;

export function checkBudgetMs(timeoutMs: number): number {
  // curl's --max-time 0 means "no limit"; here the cap applies then too.
  return timeoutMs > 0 ? Math.min(timeoutMs, CHECK_CAP_MS) : CHECK_CAP_MS;
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

const DAY_MS = 86_400_000;

/** Days left, one decimal, rounded down (a page saying 12.4 means at least 12.4 days). */
export function formatCertDays(expiresMs: number, nowMs: number): string {
  return (Math.floor(((expiresMs - nowMs) * 10) / DAY_MS) / 10).toFixed(1);
}

/**
 * The checks as /status reports them, in URLS order. A check is ok when its code is (isOk);
 * with CERT_DAYS, an https check whose certificate expires within that many days is not.
 */
export function statusChecks(urls: readonly string[], results: readonly CheckResult[], cert: CertPolicy | null = null): StatusCheck[] {
  return urls.map((url, i) => {
    const result = results[i] ?? FAILED;
    const expires = cert === null ? undefined : result.certExpiresMs;
    const certExpiring = cert !== null && expires !== undefined && expires - cert.nowMs <= cert.days * DAY_MS && isOk(result.code);
    return {
      url,
      code: result.code,
      time: result.time,
      ok: isOk(result.code) && !certExpiring,
      certExpiring,
      ...(cert !== null && expires !== undefined ? { certDays: formatCertDays(expires, cert.nowMs) } : {}),
    };
  });
}

/**
 * The body. [D1] a failed check's code is written `0` (valid JSON) instead of `000`.
 * [D15] the URL is a JSON string literal (escaped), never pasted raw. With CERT_DAYS (§10) a
 * check that read a certificate ends with `"cert_days":<days left>`; without it, the
 * originals' bytes.
 */
export function statusBody(urls: readonly string[], results: readonly CheckResult[], cert: CertPolicy | null = null): string {
  return statusJson(statusChecks(urls, results, cert));
}

export function statusJson(checks: readonly StatusCheck[]): string {
  const items = checks.map((check) => {
    const days = check.certDays === undefined ? '' : `,"cert_days":${check.certDays}`;
    return `{"url":${jsonString(check.url)},"code":${Number(check.code)},"time_s":${check.time},"ok":${check.ok}${days}}`;
  });
  const ok = checks.filter((check) => check.ok).length;
  return `{"checks":[${items.join(',')}],"summary":{"total":${checks.length},"ok":${ok}}}`;
}

/** A certificate's `valid_to` (`Mar  5 12:00:00 2026 GMT`) in ms since the epoch; undefined when unreadable. */
export function certExpiry(validTo: string | undefined): number | undefined {
  if (validTo === undefined) return undefined;
  const ms = Date.parse(validTo);
  return Number.isFinite(ms) ? ms : undefined;
}

/** One GET, bounded in total by budgetMs, body read and discarded (curl's time_total). */
export async function checkUrl(url: string, budgetMs: number): Promise<CheckResult> {
  const reply = await send({ url, method: 'GET', timeoutMs: budgetMs, maxBodyBytes: 0, discardBody: true });
  const certExpiresMs = certExpiry(reply.certValidTo);
  const cert = certExpiresMs === undefined ? {} : { certExpiresMs };
  // `|| result='000 0'`: any failing transfer, even after a status line, counts as 000.
  if (reply.kind === 'failed') return { ...FAILED, ...cert };
  return { code: httpCode(reply.status), time: formatSeconds(reply.elapsedNs), ...cert };
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
