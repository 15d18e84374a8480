// The mesh part of the status page (docs/behaviour.md §10 "Status page"): this node's watcher's
// view (VIEW_FILE, §10 "Quorum") as the page's model. Pure: the view's bytes and the time in,
// a row per peer (up or down, since when) and, where the watcher heard other nodes' views
// (view.ts `heard`), the matrix of which node sees which peer up.
import { parseView, type View } from '../watcher/quorum/view.ts';
import type { MeshView } from './page.ts';

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/**
 * The mesh as VIEW_FILE's bytes tell it at `nowS`; undefined when they hold no view at all. A
 * view too old to be a vote is still shown, marked with why (the watcher may have stopped).
 */
export function meshFromView(bytes: Buffer, nowS: number): MeshView | undefined {
  const reading = parseView(bytes, nowS);
  let view: View;
  let stale: string | undefined;
  if (reading.kind === 'view') view = reading.view;
  else {
    // Read again as of its own `at`, to show what it says and why it is not current.
    const at = (() => {
      try {
        return (JSON.parse(bytes.toString('utf8')) as { at?: unknown }).at;
      } catch {
        return undefined;
      }
    })();
    const again = typeof at === 'number' ? parseView(bytes, at) : reading;
    if (again.kind !== 'view') return undefined;
    view = again.view;
    stale = reading.reason;
  }
  const others = [...(view.heard ?? new Map())].sort(([a], [b]) => a.localeCompare(b));
  return {
    node: view.node,
    at: iso(view.at),
    ...(stale !== undefined ? { stale } : {}),
    columns: others.map(([node, h]) => ({ node, at: iso(h.at) })),
    peers: [...view.peers].map(([address, p]) => ({
      name: address,
      up: p.up,
      since: iso(p.since),
      seenBy: others.map(([, h]) => h.up.get(address)),
    })),
  };
}
