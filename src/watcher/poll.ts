// Polling peers (docs/behaviour.md §6 a): GET <url>/ bounded by TIMEOUT, code = the 3-digit status or
// `000` when the request fails (curl's error line is kept to be printed in the peer's turn).
// All peers of a round are polled concurrently, at most MAX_PARALLEL at a time.
import { httpCode } from '../compat/curl-options.ts';
import { send } from '../http/client.ts';
import type { StatusReply } from './evaluate.ts';

/** Router bodies are a few KiB (80 bytes per URL check); anything past this is not one (D20). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Enough for a thousand peers in about one TIMEOUT, few enough for the default fd limit. */
export const MAX_PARALLEL = 256;

export interface PeerReply extends StatusReply {
  readonly url: string;
  /** curl's error line, printed when this peer's turn comes. */
  readonly curlError?: string;
}

export interface PollOptions {
  readonly token: string | null;
  readonly timeoutMs: number;
}

export async function pollPeer(url: string, options: PollOptions): Promise<PeerReply> {
  // D12: the token goes into the header as data, never through a shell. The header name and
  // prefix are exactly what old routers match (`Authorization: Basic `, case-sensitive).
  const result = await send({
    url,
    method: 'GET',
    headers: options.token !== null ? [['Authorization', `Basic ${options.token}`]] : [],
    timeoutMs: options.timeoutMs,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  // Like the originals: any failure (even after the status line) makes the code 000.
  const code = result.kind === 'failed' ? '000' : httpCode(result.status);
  return {
    url,
    code,
    body: result.body,
    truncated: result.truncated,
    ...(result.kind === 'failed' ? { curlError: result.error } : {}),
  };
}

/** Maps `fn` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function pollPeers(urls: readonly string[], options: PollOptions): Promise<PeerReply[]> {
  return mapLimited(urls, MAX_PARALLEL, (url) => pollPeer(url, options));
}
