// The texts a round produces: alert text, state string, peer URL (docs/behaviour.md §6 c, d).
// The state file names are state.ts's, the Telegram form body notify.ts's.
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
