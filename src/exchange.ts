// The exchange core shared by `router` (stdin/stdout) and `probe` (sockets): a parsed
// request head in, the exact response bytes out (or nothing: "close without answer").
// Auth, routing and body building live here; the I/O (checks, df figures, the auth file,
// stderr) is injected so both programs use the same logic.
import { hostname } from 'node:os';
import type { AuthState } from './auth.ts';
import { isAuthorized } from './auth.ts';
import type { ParseResult } from './http/request.ts';
import { formatResponse, htmlResponse, jsonResponse, notFoundResponse, tooLargeResponse, unauthorizedResponse } from './http/response.ts';
import { encode } from './bytes.ts';
import { formatLogLine } from './log.ts';
import type { CheckResult, StatusCheck } from './status.ts';
import { checkLogMessage, statusChecks, statusJson } from './status.ts';
import type { DfRow, DiskReport } from './disk.ts';
import { diskBody } from './disk.ts';
import { globWords, type GlobFs } from './compat/dash-glob.ts';
import { meshFromView } from './ui/mesh.ts';
import { renderStatusPage } from './ui/page.ts';

export type Route = 'summary' | 'status' | 'disk' | 'ui' | 'view' | 'not-found';

/**
 * Routing by prefix of the request line, case-sensitive (docs/behaviour.md §4 step 5).
 * `GET /ui` only with STATUS_PAGE=1, `GET /view` only with VIEW_FILE (§10); otherwise they are
 * not found, as in the originals.
 */
export function routeOf(requestLine: string, statusPage = false, view = false): Route {
  if (requestLine.startsWith('GET / ')) return 'summary';
  if (requestLine.startsWith('GET /status ')) return 'status';
  if (requestLine.startsWith('GET /disk ')) return 'disk';
  if (statusPage && requestLine.startsWith('GET /ui ')) return 'ui';
  if (view && requestLine.startsWith('GET /view ')) return 'view';
  return 'not-found';
}

export interface ExchangeIo {
  /** The URLS words as the environment gives them (split, not yet expanded). */
  readonly urls: readonly string[];
  /** Where the URLS words are expanded (default: the real file system, from the process's cwd). */
  readonly globFs?: GlobFs;
  auth(): Promise<AuthState>;
  checks(urls: readonly string[]): Promise<CheckResult[]>;
  disk(): Promise<DiskReport>;
  /** Bytes for stderr (log lines, df's error lines): one call per answer, whole lines. */
  stderr(bytes: Buffer): void;
  /** [D8, D41] The auth file cannot be read, or holds no token; the caller decides how often to say so. */
  authUnavailable(message: string): void;
  /** CERT_DAYS (§10); null or absent: /status as the originals write it. */
  readonly certDays?: number | null;
  /** STATUS_PAGE=1 (§10): GET /ui answers the status page. */
  readonly statusPage?: boolean;
  /** The clock (ms since the epoch) for certificate days and the page's time; default Date.now. */
  now?(): number;
  /** This node's name on the status page; default the host name. */
  nodeName?(): string;
  /**
   * §10 "Quorum": VIEW_FILE's bytes (null when it cannot be read). Absent (VIEW_FILE unset, the
   * router): `GET /view` is a 404 as in the originals.
   */
  view?(): Promise<Buffer | null>;
}

async function statusPart(io: ExchangeIo): Promise<{ checks: StatusCheck[]; body: string; logs: Buffer[] }> {
  if (io.urls.length === 0) return { checks: [], body: statusJson([]), logs: [] };
  // `for url in $URLS` is unquoted: each word goes through dash's pathname expansion, on every
  // request, against the working directory's files (§4.7, §9); curl then reads its own globs
  // in what comes out (D29).
  const urls = await globWords(io.urls, io.globFs);
  const results = await io.checks(urls);
  // Logged in URLS order once all are done: the same lines, in the same order, as the
  // originals' one-after-another loop.
  const logs = urls.map((url, i) => formatLogLine('info', checkLogMessage(url, results[i] as CheckResult)));
  const certDays = io.certDays ?? null;
  const checks = statusChecks(urls, results, certDays === null ? null : { days: certDays, nowMs: now(io) });
  return { checks, body: statusJson(checks), logs };
}

async function diskPart(io: ExchangeIo): Promise<{ rows: DfRow[]; body: string; logs: Buffer[] }> {
  const report = await io.disk();
  return { rows: report.rows, body: diskBody(report.rows), logs: report.errors.map((line) => encode(`${line}\n`)) };
}

function now(io: ExchangeIo): number {
  return io.now ? io.now() : Date.now();
}

/** An answer's stderr lines in one write (one syscall, not one per line). */
function writeLines(io: ExchangeIo, lines: readonly Buffer[]): void {
  if (lines.length > 0) io.stderr(lines.length === 1 ? (lines[0] as Buffer) : Buffer.concat(lines));
}

/** The response for one parsed request, or null to close without answering. */
export async function answer(parsed: ParseResult, io: ExchangeIo): Promise<Buffer | null> {
  if (parsed.kind === 'no-request') return null;
  if (parsed.kind === 'too-large') return tooLargeResponse(parsed.part);
  const auth = await io.auth();
  if (auth.kind === 'closed') io.authUnavailable(auth.message);
  if (!isAuthorized(auth, parsed.presentedToken)) return unauthorizedResponse();
  const route = routeOf(parsed.requestLine, io.statusPage === true, io.view !== undefined);
  if (route === 'view') {
    const view = io.view ? await io.view() : null;
    return view === null ? notFoundResponse() : formatResponse('200 OK', 'application/json', view);
  }
  if (route === 'not-found') return notFoundResponse();
  if (route === 'status') {
    const status = await statusPart(io);
    writeLines(io, status.logs);
    return jsonResponse(status.body);
  }
  if (route === 'disk') {
    const disk = await diskPart(io);
    writeLines(io, disk.logs);
    return jsonResponse(disk.body);
  }
  // Both parts run at once; their stderr lines keep the originals' order (status, then disk).
  const [status, disk] = await Promise.all([statusPart(io), diskPart(io)]);
  writeLines(io, [...status.logs, ...disk.logs]);
  if (route === 'ui') {
    // With VIEW_FILE, the mesh as this node's watcher sees it (src/ui/mesh.ts).
    const view = io.view ? await io.view() : null;
    const mesh = view === null ? undefined : meshFromView(view, now(io) / 1000);
    const page = renderStatusPage({
      node: io.nodeName ? io.nodeName() : hostname(),
      generatedAt: new Date(now(io)).toISOString(),
      checks: status.checks,
      volumes: disk.rows,
      certDays: io.certDays ?? null,
      ...(mesh !== undefined ? { mesh } : {}),
    });
    return htmlResponse(page);
  }
  return jsonResponse(`{"status":${status.body},"disk":${disk.body}}`);
}

export function authErrorLine(message: string): Buffer {
  return formatLogLine('error', message);
}
