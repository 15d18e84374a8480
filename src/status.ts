// The /status route (docs/behaviour.md §4 step 7): one HTTP GET per URL, redirects not followed,
// code = 3-digit status or 000 on failure, time as curl's %{time_total} (6 decimals), 0 on
// failure. The port runs the checks concurrently, bounds each [D11], and reports them in
// URLS order. Reading the URL and the response is curl's (src/curl.ts, src/http/reader.ts);
// the client loads node:net/tls only when there is a URL to check.
import { hostSecureContext } from './http/ca.ts';
import { httpCode } from './curl.ts';
import { jsonString } from './bytes.ts';
import { send } from './http/client.ts';

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

/** One GET, bounded in total by budgetMs, body read and discarded (curl's time_total). */
export async function checkUrl(url: string, budgetMs: number): Promise<CheckResult> {
  const reply = await send({ url, method: 'GET', timeoutMs: budgetMs, maxBodyBytes: 0, discardBody: true });
  // `|| result='000 0'`: any failing transfer, even after a status line, counts as 000.
  if (reply.kind === 'failed') return FAILED;
  return { code: httpCode(reply.status), time: formatSeconds(reply.elapsedNs) };
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
