// The status page (STATUS_PAGE=1, docs/behaviour.md §10): GET /ui answers one self-contained
// HTML page, this node's checks (the same as /status) and volumes (the /disk figures). Pure:
// a model in, the HTML text out. No external asset and no script (the page's own CSP says so),
// so it works without network; the browser reloads it every REFRESH_SECONDS. Every text from
// outside (URLs, mount points, peer names) goes through escapeHtml.
import type { DfRow } from '../disk.ts';
import type { StatusCheck } from '../status.ts';

/** One peer as this node's watcher sees it (src/ui/mesh.ts makes these from VIEW_FILE). */
export interface MeshPeer {
  readonly name: string;
  readonly up: boolean;
  /** Since when it is in this state, as text (an ISO time), when known. */
  readonly since?: string;
  /** How each of MeshView.columns saw it: up, down, or not said (undefined). */
  readonly seenBy?: readonly (boolean | undefined)[];
}

export interface MeshView {
  /** The watcher's own name in the mesh, and when its view was written (ISO). */
  readonly node?: string;
  readonly at?: string;
  /** Why the view is not current (too old: the watcher may have stopped). */
  readonly stale?: string;
  /** Other nodes whose views the watcher heard (QUORUM), with when each was written. */
  readonly columns?: readonly { readonly node: string; readonly at: string }[];
  readonly peers: readonly MeshPeer[];
}

export interface StatusPageModel {
  /** This node's name (the host name). */
  readonly node: string;
  /** When the figures were taken (ISO 8601, UTC). */
  readonly generatedAt: string;
  readonly checks: readonly StatusCheck[];
  readonly volumes: readonly DfRow[];
  /** CERT_DAYS, when set: shown next to the certificate column. */
  readonly certDays: number | null;
  /** The mesh as this node sees it; the page has no mesh section without it. */
  readonly mesh?: MeshView;
}

export const REFRESH_SECONDS = 30;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML content or a quoted attribute. A byte that was not UTF-8 (kept as U+DC80..U+DCFF
 * by src/bytes.ts) becomes U+FFFD, so the page stays valid UTF-8.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string).replace(/[\udc80-\udcff]/gu, '\ufffd');
}

/** 1024-byte blocks (df -P's unit) as a size for people: `512 KiB`, `3.4 GiB`. */
export function formatKiB(blocks: bigint): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = Number(blocks);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit] as string}`;
}

/** curl's time_total (seconds, six decimals) in milliseconds: `12.3 ms`; `-` for a failed check. */
export function formatMs(time: string): string {
  const seconds = Number(time);
  return seconds > 0 ? `${(seconds * 1000).toFixed(1)} ms` : '-';
}

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --fail: #cf222e; --muted: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 24px; max-width: 1100px; }
header { display: flex; align-items: baseline; justify-content: space-between; flex-wrap: wrap; gap: 8px; }
h1 { font-size: 22px; margin: 0; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.muted { color: var(--muted); }
.verdict { font-weight: 600; padding: 4px 12px; border-radius: 6px; color: #fff; }
.verdict.ok { background: var(--ok); }
.verdict.failing { background: var(--fail); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.url { word-break: break-all; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.badge { display: inline-block; min-width: 52px; text-align: center; font-weight: 700; font-size: 12px; padding: 2px 8px; border-radius: 10px; color: #fff; }
.badge.ok { background: var(--ok); }
.badge.failing { background: var(--fail); }
tr.failing td { background: rgba(207, 34, 46, 0.08); }
.why { color: var(--fail); font-size: 13px; }
.bar { width: 120px; height: 10px; background: var(--line); border-radius: 5px; overflow: hidden; display: inline-block; vertical-align: middle; margin-right: 8px; }
.bar span { display: block; height: 100%; background: var(--ok); }
.bar span.high { background: #bf8700; }
.bar span.full { background: var(--fail); }
.empty { color: var(--muted); font-style: italic; }
th.seen, td.seen { text-align: center; font-size: 12px; font-weight: 700; white-space: nowrap; }
td.seen.ok { color: var(--ok); }
td.seen.failing, p.failing { color: var(--fail); }
td.seen.unknown { color: var(--muted); }
`;

function badge(ok: boolean, okText = 'OK', failText = 'FAIL'): string {
  return `<span class="badge ${ok ? 'ok' : 'failing'}">${ok ? okText : failText}</span>`;
}

/** A check's row; the certificate cell only with CERT_DAYS (the column is there only then). */
function checkRow(check: StatusCheck, certColumn: boolean): string {
  const why = check.certExpiring ? `<div class="why">certificate expires in ${escapeHtml(check.certDays ?? '?')} days</div>` : '';
  const cert = certColumn ? `<td class="num cert">${check.certDays === undefined ? '' : `${escapeHtml(check.certDays)} d`}</td>` : '';
  return (
    `<tr class="check ${check.ok ? 'ok' : 'failing'}" data-ok="${check.ok}">` +
    `<td>${badge(check.ok)}</td>` +
    `<td class="url">${escapeHtml(check.url)}${why}</td>` +
    `<td class="num code">${escapeHtml(check.code)}</td>` +
    `<td class="num">${escapeHtml(formatMs(check.time))}</td>` +
    cert +
    '</tr>'
  );
}

function checksSection(model: StatusPageModel): string {
  const ok = model.checks.filter((check) => check.ok).length;
  const certColumn = model.certDays !== null;
  const heads = ['<th>state</th>', '<th>URL</th>', '<th class="num">code</th>', '<th class="num">time</th>'];
  if (certColumn) heads.push(`<th class="num">certificate (fails within ${model.certDays} d)</th>`);
  const rows =
    model.checks.length === 0
      ? `<tr><td colspan="${heads.length}" class="empty">No URLs to check (URLS is empty).</td></tr>`
      : model.checks.map((check) => checkRow(check, certColumn)).join('\n');
  return (
    `<section id="checks"><h2>Checks <span class="muted">${ok} of ${model.checks.length} ok</span></h2>\n` +
    `<table><thead><tr>${heads.join('')}</tr></thead>\n` +
    `<tbody>\n${rows}\n</tbody></table></section>`
  );
}

function volumeRow(row: DfRow): string {
  const percent = /^(\d+)%$/.exec(row.capacity);
  const used = percent ? Math.min(Number(percent[1]), 100) : null;
  const level = used === null || used < 85 ? '' : used >= 95 ? ' class="full"' : ' class="high"';
  const bar = used === null ? '' : `<span class="bar"><span${level} style="width:${used}%"></span></span>`;
  return (
    '<tr class="volume">' +
    `<td class="url">${escapeHtml(row.mount)}</td>` +
    `<td class="num">${formatKiB(row.sizeBlocks)}</td>` +
    `<td class="num">${formatKiB(row.used)}</td>` +
    `<td class="num">${formatKiB(row.avail)}</td>` +
    `<td>${bar}${escapeHtml(row.capacity)}</td>` +
    '</tr>'
  );
}

function volumesSection(model: StatusPageModel): string {
  const rows =
    model.volumes.length === 0
      ? `<tr><td colspan="5" class="empty">No volumes to report.</td></tr>`
      : model.volumes.map(volumeRow).join('\n');
  return (
    '<section id="volumes"><h2>Volumes</h2>\n' +
    '<table><thead><tr><th>mount point</th><th class="num">size</th><th class="num">used</th><th class="num">available</th><th>use</th></tr></thead>\n' +
    `<tbody>\n${rows}\n</tbody></table></section>`
  );
}

function seenCell(seen: boolean | undefined): string {
  if (seen === undefined) return '<td class="seen unknown" title="not in its view">·</td>';
  return `<td class="seen ${seen ? 'ok' : 'failing'}">${seen ? 'up' : 'down'}</td>`;
}

function meshSection(mesh: MeshView): string {
  const up = mesh.peers.filter((peer) => peer.up).length;
  const columns = mesh.columns ?? [];
  const self = escapeHtml(mesh.node ?? 'this node');
  const heads = columns.map((c) => `<th class="seen" title="its view as of ${escapeHtml(c.at)}">${escapeHtml(c.node)}</th>`).join('');
  const rows = mesh.peers.map(
    (peer) =>
      `<tr class="peer ${peer.up ? 'ok' : 'failing'}" data-up="${peer.up}">` +
      `<td>${badge(peer.up, 'UP', 'DOWN')}</td><td class="url">${escapeHtml(peer.name)}</td>` +
      `<td>${peer.since === undefined ? '' : escapeHtml(peer.since)}</td>` +
      columns.map((_, i) => seenCell(peer.seenBy?.[i])).join('') +
      '</tr>',
  );
  const about =
    (mesh.at === undefined ? '' : `<p class="muted">As seen by ${self}'s watcher at ${escapeHtml(mesh.at)}.</p>\n`) +
    (mesh.stale === undefined ? '' : `<p class="failing" id="mesh-stale">This view is not current: ${escapeHtml(mesh.stale)}.</p>\n`) +
    (columns.length === 0
      ? ''
      : '<p class="muted">Columns: what the other nodes saw in their last views this watcher fetched (QUORUM fetches them when a change needs confirming).</p>\n');
  return (
    `<section id="mesh"><h2>Mesh <span class="muted">${up} of ${mesh.peers.length} peers up</span></h2>\n` +
    about +
    `<table><thead><tr><th>state</th><th>peer</th><th>since</th>${heads}</tr></thead>\n` +
    `<tbody>\n${rows.join('\n')}\n</tbody></table></section>`
  );
}

/** The whole page for `model`. */
export function renderStatusPage(model: StatusPageModel): string {
  const allOk = model.checks.every((check) => check.ok) && (model.mesh?.peers.every((peer) => peer.up) ?? true);
  const node = escapeHtml(model.node);
  const sections = [checksSection(model), volumesSection(model), ...(model.mesh === undefined ? [] : [meshSection(model.mesh)])];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<link rel="icon" href="data:,">
<title>${allOk ? 'OK' : 'FAILING'} · ${node} · sentinèlla</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>sentinèlla · ${node}</h1><span class="verdict ${allOk ? 'ok' : 'failing'}" id="verdict">${allOk ? 'all ok' : 'failing'}</span></header>
<p class="muted">As of <time datetime="${escapeHtml(model.generatedAt)}">${escapeHtml(model.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>; reloads every ${REFRESH_SECONDS} s.</p>
${sections.join('\n')}
</body>
</html>
`;
}
