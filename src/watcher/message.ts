// The texts a round produces: alert text, state string, peer URL (docs/behaviour.md §6 c, d).
// The state file names are state.ts's, the Telegram form body telegram/bot-api.ts's.
//
// Alert texts every delivery can send (D32): at most 4096 UTF-16 code units (what Telegram
// counts, after trimming; counting code units is never more lenient than counting characters).
// A text over the limit keeps the peer's line as it is for as far as it fits and sums up the
// failing checks that do not fit as `… and N more`, rather than sending follow-up messages:
// every message costs one of the ~20 a minute Telegram allows a group for the whole mesh, an
// alert split over several messages could be half delivered, and the full list is one request
// away in the peer's /status. The round fits every peer's text once (fitMessage), whatever the
// delivery (Alertmanager's summary too); the digest (delivery/digest.ts) splits its lines with
// the same cut().
import type { Evaluation } from './evaluate.ts';

/** `<prefix>: <url> [<good>/<total>]<failures>`; prefix `OK  ` (two spaces) or `FAIL`. */
export function formatMessage(url: string, ev: Evaluation): string {
  const suffix = ev.failures.length > 0 ? ` \u2014 ${ev.failures.join(' ')}` : '';
  return `${ev.up ? 'OK  ' : 'FAIL'}: ${url} [${ev.good}/${ev.total}]${suffix}`;
}

/** `<up|down>:<good>/<total>:<code>`, the content of the state file. */
export function formatState(ev: Evaluation, code: string): string {
  return `${ev.up ? 'up' : 'down'}:${ev.good}/${ev.total}:${code}`;
}

/** `<scheme>://<address>:<port>`; IPv6 addresses bracketed (D7: the originals do not). */
export function peerUrl(scheme: string, address: string, port: string): string {
  return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * The address a peer is polled at, peerUrl's inverse: the host of `<scheme>://<address>:<port>`,
 * brackets dropped. Silences and QUORUM's views know peers by it.
 */
export function peerAddress(url: string): string {
  const scheme = url.indexOf('://');
  const rest = scheme < 0 ? url : url.slice(scheme + 3);
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    return end < 0 ? rest.slice(1) : rest.slice(1, end);
  }
  const end = rest.search(/[:/]/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Telegram's limit on the text of one message, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** The alert text for a peer, within `limit` UTF-16 code units; unchanged when it fits. */
export function fitMessage(url: string, ev: Evaluation, limit = TELEGRAM_TEXT_LIMIT): string {
  const full = formatMessage(url, ev);
  if (full.length <= limit) return full;
  const head = `${formatMessage(url, { ...ev, failures: [] })} \u2014 `;
  const failures = ev.failures;
  const more = (n: number) => `\u2026 and ${n} more`;
  let length = head.length;
  let kept = 0;
  // Keep failures while what is kept plus the summary of the rest still fits.
  while (kept < failures.length) {
    const item = (failures[kept] as string).length + 1; // the item and the space after it
    if (length + item + more(failures.length - kept - 1).length > limit) break;
    length += item;
    kept += 1;
  }
  // A head that alone is too long (a huge URL) is cut as a last resort.
  return cut(
    `${head}${failures
      .slice(0, kept)
      .map((f) => `${f} `)
      .join('')}${more(failures.length - kept)}`,
    limit,
  )[0] as string;
}

/** `text` in pieces of at most `limit` UTF-16 code units, no surrogate pair broken. */
export function cut(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + limit, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff && end - 1 > start) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
