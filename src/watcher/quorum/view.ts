// QUORUM's view (docs/behaviour.md §10 "Quorum"): what one watcher sees of the mesh, written to
// VIEW_FILE every round and served by its node's probe at `GET /view`. Pure: the JSON text, its
// reading, and when a view read from another node counts ("fresh") or is "no view".
//
//   {"sentinella_view":1,"node":"10.0.0.1","at":1764950000.123,"round_s":4,
//    "peers":{"10.0.0.2":{"up":true,"state":"up:1/1:200","since":1764949000,"announced":true}}}
//
// `at`: when written (seconds since the epoch); `round_s`: POLLING_INTERVAL_SEC + TIMEOUT, a
// bound on the writer's round period; per peer (keyed by the address it is polled at): up or
// down, the §6.6d state string, since when this watcher sees that up/down, and whether its state
// file holds that state (the mesh announced it, whoever sent it). After `peers`, only while the
// writer has some: `silences`, those of its own STATE_DIR/silences.json (../silences.ts, §10
// "Silences"); a view without them, or with a field not of that form, is a view all the same.
import { readViewSilences, silenceEntries, type Silences } from '../silences.ts';

export const VIEW_VERSION = 1;
/** A view is stale once older than this many of its writer's rounds, plus STALE_EXTRA_S. */
export const STALE_ROUNDS = 3;
export const STALE_EXTRA_S = 10;
/** A view dated further ahead than this (clocks apart) is not believed either. */
export const FUTURE_S = 60;
/** A view of a thousand peers is about 100 KB; a body past this is not a view. */
export const MAX_VIEW_BYTES = 1024 * 1024;

export interface PeerView {
  readonly up: boolean;
  readonly state: string;
  /** Seconds since the epoch: when this watcher first saw the peer's current up/down. */
  readonly since: number;
  /** This watcher's state file holds `state`. */
  readonly announced: boolean;
}

export interface View {
  /** The writer's identity: the address the other nodes poll it at. */
  readonly node: string;
  readonly at: number;
  readonly roundS: number;
  /** By peer address. */
  readonly peers: ReadonlyMap<string, PeerView>;
  /** The silences its writer set on its own node (none: the field is left out). */
  readonly silences?: Silences;
  /**
   * What its writer last heard from other nodes (their fresh views it fetched, up or down by
   * peer, as of their `at`): the matrix of the status page (src/ui/mesh.ts). Only informative:
   * no decision reads it (none: the field is left out).
   */
  readonly heard?: ReadonlyMap<string, Heard>;
}

/** Another node's view as fetched: when it was written, and whether it saw each peer up. */
export interface Heard {
  readonly at: number;
  readonly up: ReadonlyMap<string, boolean>;
}

/** The view's bytes as written to VIEW_FILE (one line, fixed key order). */
export function renderView(view: View): string {
  const peers: Record<string, unknown> = {};
  for (const [address, p] of view.peers) {
    peers[address] = { up: p.up, state: p.state, since: round3(p.since), announced: p.announced };
  }
  const silences = view.silences !== undefined && view.silences.size > 0 ? { silences: silenceEntries(view.silences) } : {};
  const heard: Record<string, unknown> = {};
  for (const [node, h] of view.heard ?? []) heard[node] = { at: round3(h.at), up: Object.fromEntries(h.up) };
  const json = {
    sentinella_view: VIEW_VERSION,
    node: view.node,
    at: round3(view.at),
    round_s: view.roundS,
    peers,
    ...silences,
    ...(Object.keys(heard).length > 0 ? { heard } : {}),
  };
  return `${JSON.stringify(json)}\n`;
}

/** Milliseconds are enough: `at` and `since` are compared with rounds of seconds. */
function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

export type ViewReading = { readonly kind: 'view'; readonly view: View } | { readonly kind: 'none'; readonly reason: string };

/**
 * A view read from another node, as of `nowS` (this node's clock): the view, or why it is "no
 * view" (never a vote): not JSON, another version, a field missing or of the wrong type, stale
 * (older than STALE_ROUNDS × round_s + STALE_EXTRA_S) or dated more than FUTURE_S ahead.
 */
export function parseView(body: Buffer | string, nowS: number): ViewReading {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return none('not JSON');
  }
  if (!isObject(json)) return none('not a JSON object');
  if (json.sentinella_view !== VIEW_VERSION) return none(`not a version ${VIEW_VERSION} view`);
  const { node, at, round_s: roundS, peers } = json;
  if (typeof node !== 'string' || node === '') return none('no node');
  if (!isNumber(at)) return none('no at');
  if (!isNumber(roundS) || roundS <= 0) return none('no round_s');
  if (!isObject(peers)) return none('no peers');
  const freshness = staleness(at, roundS, nowS);
  if (freshness !== undefined) return none(freshness);
  const map = new Map<string, PeerView>();
  for (const [address, p] of Object.entries(peers)) {
    if (!isObject(p)) return none(`peer ${address} is not an object`);
    const { up, state, since, announced } = p;
    if (typeof up !== 'boolean' || typeof state !== 'string' || !isNumber(since) || typeof announced !== 'boolean') {
      return none(`peer ${address} lacks up, state, since or announced`);
    }
    map.set(address, { up, state, since, announced });
  }
  return { kind: 'view', view: { node, at, roundS, peers: map, silences: readViewSilences(json.silences), heard: readHeard(json.heard) } };
}

/** The `heard` field, leniently: an entry that is not `{at, up: {address: boolean}}` is left out. */
function readHeard(field: unknown): ReadonlyMap<string, Heard> {
  const heard = new Map<string, Heard>();
  if (!isObject(field)) return heard;
  for (const [node, h] of Object.entries(field)) {
    if (!isObject(h) || !isNumber(h.at) || !isObject(h.up)) continue;
    const up = Object.entries(h.up).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean');
    heard.set(node, { at: h.at, up: new Map(up) });
  }
  return heard;
}

/** How old a view written by a node with rounds of `roundS` may be (s): 3 rounds + 10 s. */
export function freshForS(roundS: number): number {
  return STALE_ROUNDS * roundS + STALE_EXTRA_S;
}

/** Why a view written at `at` by a node with rounds of `roundS` is not fresh at `nowS`, or undefined. */
export function staleness(at: number, roundS: number, nowS: number): string | undefined {
  const age = nowS - at;
  if (age > freshForS(roundS)) return `stale (${Math.round(age)} s old)`;
  if (-age > FUTURE_S) return `dated ${Math.round(-age)} s ahead`;
  return undefined;
}

function none(reason: string): ViewReading {
  return { kind: 'none', reason };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
