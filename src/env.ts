// The environment contract of every program, in one place. Each variable is declared once
// (name, programs, default, parser, required, description); the typed readers, the start-up
// check of required variables and --help are all derived from these declarations.
// Contract: docs/behaviour.md §4 (router), §5 (probe), §6 (watcher).
import { readFileSync } from 'node:fs';
import { decode, jsonString } from './bytes.ts';
import { sleepSeconds } from './compat/coreutils-sleep.ts';
import { curlMaxTime } from './compat/curl-options.ts';
import { readTarget } from './compat/curl-url.ts';
import { LOCALE_CATEGORIES, type LocaleEnv } from './compat/glibc-locale.ts';
import { MAX_TIMER_MS } from './timers.ts';
import type { Rule as QuorumRule } from './watcher/quorum/confirm.ts';

/** Variable values as text; bytes that are not UTF-8 are kept as src/bytes.ts keeps them. */
export type Environment = Record<string, string | undefined>;

/**
 * The environment the program was started with, every value's bytes kept (src/bytes.ts): the
 * originals pass a value's bytes on as they are, while process.env has already replaced
 * those that are not UTF-8 with U+FFFD. Read from /proc/self/environ; process.env where that
 * cannot be read. A name given twice keeps its last value, as dash does.
 */
export function processEnvironment(): Environment {
  let environ: Buffer;
  try {
    environ = readFileSync('/proc/self/environ');
  } catch {
    return { ...process.env };
  }
  const env: Environment = Object.create(null) as Environment;
  let start = 0;
  while (start < environ.length) {
    let end = environ.indexOf(0, start);
    if (end < 0) end = environ.length;
    const equals = environ.indexOf(0x3d, start);
    if (equals > start && equals < end) env[decode(environ.subarray(start, equals))] = decode(environ.subarray(equals + 1, end));
    start = end + 1;
  }
  return env;
}

/** The programs that read the environment (base64 reads none). */
export type Program = 'router' | 'probe' | 'watcher';

/** One value for every program, or one per program (TIMEOUT's description). */
export type PerProgram<V> = V | Readonly<Record<Program, V>>;

/**
 * Start-up ends with `<NAME> not set` (exit 3) when a required variable is unset or empty;
 * `unless`: not required when any of those other variables is set.
 */
export type Requirement = true | { readonly unless: readonly string[] };

export interface Declaration {
  readonly name: string;
  readonly programs: readonly Program[];
  /** The text used when unset or empty (`${NAME:-default}`), as --help shows it. */
  readonly default?: string;
  readonly required?: Requirement;
  readonly description: PerProgram<string>;
}

export interface Variable<T> extends Declaration {
  /** The value `program` uses (every program reads a variable alike): default applied, then parsed; a bad text throws EnvError. */
  read(env: Environment, program: Program): T;
}

/** A parser of a variable with a default: it always gets a text. */
type Parser<T> = (text: string, name: string) => T;
/** A parser of a variable without one: undefined means unset (or empty). */
type OptionalParser<T> = (text: string | undefined, name: string) => T;

/** A bad environment value: the message always names the variable. */
export class EnvError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'EnvError';
  }
}

function variable<T>(spec: Declaration & { readonly default: string; readonly parse: Parser<T> }): Variable<T>;
function variable<T>(spec: Declaration & { readonly default?: undefined; readonly parse: OptionalParser<T> }): Variable<T>;
function variable<T>(
  spec:
    | (Declaration & { readonly default: string; readonly parse: Parser<T> })
    | (Declaration & { readonly default?: undefined; readonly parse: OptionalParser<T> }),
): Variable<T> {
  // One parser for every program (D14: the router reads TIMEOUT as its watcher does).
  const read = (env: Environment): T => {
    const text = readVariable(env, spec.name);
    if (spec.default === undefined) return spec.parse(text, spec.name);
    return spec.parse(text ?? spec.default, spec.name);
  };
  const { parse: _parse, ...declaration } = spec;
  return { ...declaration, read };
}

// ---- parsers (the error texts are pinned by goldens, D14)

/** The originals read `${NAME:-default}`: an empty value counts as unset. */
export function readVariable(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Splits like the shell splits an unquoted expansion on the default IFS. */
export function splitWords(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/[ \t\n]+/).filter((word) => word !== '');
}

/**
 * SELF's words as the originals match them (§6.4): SELF is read through `$(...)`, which removes
 * trailing newlines; then an address is local when ` <address> ` occurs in ` <SELF> `, so only
 * spaces separate words (a tab, or a newline before the end, is part of a word).
 */
export function selfWords(self: string): string[] {
  return self
    .replace(/\n+$/, '')
    .split(' ')
    .filter((word) => word !== '');
}

const textOrNull: OptionalParser<string | null> = (value) => value ?? null;
const textOrEmpty: OptionalParser<string> = (value) => value ?? '';
const text: Parser<string> = (value) => value;

/** D14: a number the originals' tool refuses; the text is pinned by goldens. */
function notSeconds(name: string, value: string): EnvError {
  return new EnvError(name, `${name} must be a number of seconds, got ${jsonString(value)}`);
}

function notPort(name: string, value: string): EnvError {
  return new EnvError(name, `${name} must be a TCP port (1-65535), got ${jsonString(value)}`);
}

/** PORT: decimal 1-65535 only (D23: socat's reading, octal and all, is not kept; D14). */
const port: Parser<number> = (value, name) => {
  const number = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= 65535)) throw notPort(name, value);
  return number;
};

/**
 * PEERS_PORT as curl reads it in `<scheme>://<address>:<PEERS_PORT>` (docs/behaviour.md §6.4):
 * the originals paste the text into the URL, so it is kept as text and every peer request
 * reads it as curl does (`005988` is 5988, `0` a refused connection, `5988/x` a path). D14:
 * what makes curl refuse the URL (`+5988`, ` 5988`, `65536`, a broken glob; and a glob of
 * several URLs, D29) is named at start-up instead of failing every request.
 */
const peersPort: Parser<string> = (value, name) => {
  if (readTarget(`http://127.0.0.1:${value}`).kind === 'refused') throw notPort(name, value);
  return value;
};

/**
 * TIMEOUT as curl's `-m` reads it, in every program (the router and probe pass it to curl for
 * their URL checks, the watcher for its requests): every text curl accepts works, as curl
 * reads it (whole milliseconds; 0 and `nan` are no limit); D14 names only the others. Beyond
 * what a Node timer holds (about 24.8 days) it is no limit here too.
 */
const curlTimeout: Parser<number> = (value, name) => {
  const maxTime = curlMaxTime(value);
  if (!maxTime.ok) throw notSeconds(name, value);
  return maxTime.ms > MAX_TIMER_MS ? 0 : maxTime.ms / 1000;
};

/** POLLING_INTERVAL_SEC as `sleep` reads it (Infinity: sleep for ever); D14 names what sleep refuses. */
const sleepInterval: Parser<number> = (value, name) => {
  const seconds = sleepSeconds(value);
  if (seconds === undefined) throw notSeconds(name, value);
  return seconds;
};

/** A new opt-in switch: `1` on, `0` or unset off, anything else named as an error. */
const onOff: Parser<boolean> = (value, name) => {
  if (value !== '0' && value !== '1') throw new EnvError(name, `${name} must be 0 or 1, got ${jsonString(value)}`);
  return value === '1';
};

/** CERT_DAYS: a whole number of days, 0 or more (0: the days are reported, no check fails for them). */
const wholeDays: OptionalParser<number | null> = (value, name) => {
  if (value === undefined) return null;
  const days = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(days)) throw new EnvError(name, `${name} must be a whole number of days, got ${jsonString(value)}`);
  return days;
};

/** An http(s) URL; `base`: one a path is appended to (no query, no fragment). */
function isHttpUrl(word: string, base: boolean): boolean {
  if (!URL.canParse(word)) return false;
  const url = new URL(word);
  return (url.protocol === 'http:' || url.protocol === 'https:') && (!base || (url.search === '' && url.hash === ''));
}

/** An http(s) URL that the outbound client (curl's reading, src/compat/curl-url.ts) can send to. */
const sendable = (word: string, base: boolean): boolean => isHttpUrl(word, base) && readTarget(word).kind !== 'refused';

/** Space-separated http(s) base URLs. */
const baseUrls: OptionalParser<string[]> = (value, name) => {
  const words = splitWords(value);
  for (const word of words) {
    if (!isHttpUrl(word, true)) throw new EnvError(name, `${name} must be space-separated http(s) base URLs, got ${jsonString(word)}`);
  }
  return words;
};

/** One http(s) base URL (TG_API_URL). */
const baseUrl: Parser<string> = (value, name) => {
  if (!sendable(value, true)) throw new EnvError(name, `${name} must be an http(s) base URL, got ${jsonString(value)}`);
  return value;
};

/** Space-separated http(s) URLs, each posted to as it is (a query is kept: some webhooks carry their key there). */
const httpUrls: OptionalParser<string[]> = (value, name) => {
  const words = splitWords(value);
  for (const word of words) {
    if (!sendable(word, false)) throw new EnvError(name, `${name} must be space-separated http(s) URLs, got ${jsonString(word)}`);
  }
  return words;
};

/** QUORUM: a number of watchers (1 or more) or `majority` (docs/behaviour.md §10 "Quorum"). */
const quorumRule: OptionalParser<QuorumRule | null> = (value, name) => {
  if (value === undefined) return null;
  if (value === 'majority') return { kind: 'majority' };
  if (/^[1-9][0-9]{0,5}$/.test(value)) return { kind: 'count', k: Number(value) };
  throw new EnvError(name, `${name} must be a number of watchers (1 or more) or "majority", got ${jsonString(value)}`);
};

// ---- the declarations, in --help order (each program lists its own, in this order)

const HTTPS_PROGRAMS: readonly Program[] = ['router', 'probe', 'watcher'];

export const PORT = variable({
  name: 'PORT',
  programs: ['probe'],
  default: '5988',
  parse: port,
  description: 'TCP port to listen on (IPv4, all addresses)',
});
export const URLS = variable({
  name: 'URLS',
  programs: ['router', 'probe'],
  parse: splitWords,
  description: 'whitespace-separated URLs that /status checks (default: none)',
});
export const VOLUMES = variable({
  name: 'VOLUMES',
  programs: ['router', 'probe'],
  // null: every mount point `df -P` lists, recomputed per request.
  parse: (value) => (value === undefined ? null : splitWords(value)),
  description: 'whitespace-separated paths (globs allowed) that /disk reports (default: every mount point `df -P` lists)',
});
// The SRV version (docs/behaviour.md §12) needs no PEERS_DNS; with both set PEERS_SRV wins, as
// upstream's SRV version, which never reads PEERS_DNS, behaves.
export const PEERS_DNS = variable({
  name: 'PEERS_DNS',
  programs: ['watcher'],
  required: { unless: ['PEERS_SRV'] },
  parse: textOrEmpty,
  description: 'DNS name whose addresses are the peers',
});
export const PEERS_SRV = variable({
  name: 'PEERS_SRV',
  programs: ['watcher'],
  parse: textOrNull,
  description:
    "DNS name whose SRV records are the peers (each record's target, polled on the record's port); when set, PEERS_DNS and PEERS_PORT are ignored",
});
// With ALERTMANAGER_URLS the watcher never talks to Telegram; with WEBHOOK_URLS only when both
// of these are set (src/watcher/delivery/for-config.ts).
const UNLESS_OTHER_CHANNEL = { unless: ['ALERTMANAGER_URLS', 'WEBHOOK_URLS'] } as const;
export const TG_TOKEN = variable({
  name: 'TG_TOKEN',
  programs: ['watcher'],
  required: UNLESS_OTHER_CHANNEL,
  parse: textOrEmpty,
  description: 'Telegram bot token',
});
export const TG_CHAT_ID = variable({
  name: 'TG_CHAT_ID',
  programs: ['watcher'],
  required: UNLESS_OTHER_CHANNEL,
  parse: textOrEmpty,
  description: 'Telegram chat id',
});
export const SELF = variable({
  name: 'SELF',
  programs: ['watcher'],
  // null: detect the host's own addresses.
  parse: (value) => (value === undefined ? null : selfWords(value)),
  description: "space-separated addresses of this node (default: the host's own addresses)",
});
export const PEERS_PORT = variable({
  name: 'PEERS_PORT',
  programs: ['watcher'],
  default: '5988',
  parse: peersPort,
  description: 'port every peer probe listens on (not used with PEERS_SRV)',
});
export const PEERS_SCHEME = variable({
  name: 'PEERS_SCHEME',
  programs: ['watcher'],
  default: 'http',
  parse: text,
  description: 'URL scheme for peer probes',
});
export const PEERS_TOKEN = variable({
  name: 'PEERS_TOKEN',
  programs: ['watcher'],
  parse: textOrNull,
  description: 'Basic Auth token sent to every peer (base64 of user:pass)',
});
const URL_CHECK = 'seconds allowed for each URL check';
export const TIMEOUT = variable({
  name: 'TIMEOUT',
  programs: ['router', 'probe', 'watcher'],
  default: '5',
  parse: curlTimeout,
  description: { router: URL_CHECK, probe: URL_CHECK, watcher: 'seconds allowed for each peer request and each notification' },
});
export const AUTH_FILE = variable({
  name: 'AUTH_FILE',
  programs: ['router', 'probe'],
  parse: textOrNull,
  description: 'file of `user:pass` lines; when set, every request needs Basic Auth',
});
export const POLLING_INTERVAL_SEC = variable({
  name: 'POLLING_INTERVAL_SEC',
  programs: ['watcher'],
  default: '3',
  // The text too: the round's first log line prints the variable as given.
  parse: (value, name) => ({ seconds: sleepInterval(value, name), text: value }),
  description: 'seconds of sleep between rounds',
});
export const STATE_DIR = variable({
  name: 'STATE_DIR',
  programs: ['watcher'],
  default: '/var/lib/sentinella',
  parse: text,
  description: 'directory of the <cksum>.state files',
});
export const SPAM = variable({
  name: 'SPAM',
  programs: ['watcher'],
  default: '0',
  parse: (value) => value === '1',
  description: '1: notify on every round, not only on changes',
});
export const DIGEST = variable({
  name: 'DIGEST',
  programs: ['watcher'],
  default: '0',
  parse: onOff,
  description: '1: at most one Telegram message per round, holding every change of the round',
});
export const ALERTMANAGER_URLS = variable({
  name: 'ALERTMANAGER_URLS',
  programs: ['watcher'],
  parse: baseUrls,
  description:
    'space-separated Alertmanager base URLs; when set, alerts go to all of them (API v2) instead of Telegram, and TG_TOKEN/TG_CHAT_ID are not needed',
});
export const WEBHOOK_URLS = variable({
  name: 'WEBHOOK_URLS',
  programs: ['watcher'],
  parse: httpUrls,
  description:
    'space-separated URLs each change is POSTed to as JSON ({"text":...}: Slack, Mattermost, Rocket.Chat), beside Telegram or instead of it (then TG_TOKEN/TG_CHAT_ID are not needed)',
});
/** The Bot API the originals' curl posts to (docs/behaviour.md §6 "Notify"). */
export const TELEGRAM_API = 'https://api.telegram.org';
export const TG_API_URL = variable({
  name: 'TG_API_URL',
  programs: ['watcher'],
  default: TELEGRAM_API,
  parse: baseUrl,
  description: 'Telegram Bot API base URL (a self-hosted telegram-bot-api server): messages go to <TG_API_URL>/bot<TG_TOKEN>/sendMessage',
});
export const METRICS_FILE = variable({
  name: 'METRICS_FILE',
  programs: ['watcher'],
  parse: textOrNull,
  description:
    "file rewritten after every round with the watcher's metrics (Prometheus text format, for node_exporter's textfile collector)",
});
export const CERT_DAYS = variable({
  name: 'CERT_DAYS',
  programs: ['router', 'probe'],
  parse: wholeDays,
  description: 'days: an https check whose certificate expires within them is not ok; every https check then reports "cert_days"',
});
export const STATUS_PAGE = variable({
  name: 'STATUS_PAGE',
  programs: ['router', 'probe'],
  default: '0',
  parse: onOff,
  description: "1: GET /ui answers an HTML page of this node's checks and volumes",
});
export const QUORUM = variable({
  name: 'QUORUM',
  programs: ['watcher'],
  parse: quorumRule,
  description:
    'a number k, or majority: announce a change of a peer only once k watchers (or more than half of those serving a view) see it, one watcher sending it; needs VIEW_FILE',
});
export const VIEW_FILE = variable({
  name: 'VIEW_FILE',
  programs: ['probe', 'watcher'],
  parse: textOrNull,
  description: {
    router: '',
    probe: "file served at GET /view (the node's watcher writes its view there under QUORUM); unset: /view is 404",
    watcher: 'with QUORUM: the file this watcher writes its view of the mesh to every round (its probe serves it at /view)',
  },
});
export const SSL_CERT_FILE = variable({
  name: 'SSL_CERT_FILE',
  programs: HTTPS_PROGRAMS,
  parse: textOrNull,
  description: 'CA bundle trusted for https requests, besides the host store (as curl reads it)',
});
export const NODE_EXTRA_CA_CERTS = variable({
  name: 'NODE_EXTRA_CA_CERTS',
  programs: HTTPS_PROGRAMS,
  parse: textOrNull,
  description: 'more CA certificates trusted for https requests (also read by node itself)',
});

export const VARIABLES: readonly Variable<unknown>[] = [
  PORT,
  URLS,
  VOLUMES,
  PEERS_DNS,
  PEERS_SRV,
  TG_TOKEN,
  TG_CHAT_ID,
  SELF,
  PEERS_PORT,
  PEERS_SCHEME,
  PEERS_TOKEN,
  TIMEOUT,
  AUTH_FILE,
  POLLING_INTERVAL_SEC,
  STATE_DIR,
  SPAM,
  DIGEST,
  ALERTMANAGER_URLS,
  WEBHOOK_URLS,
  TG_API_URL,
  METRICS_FILE,
  CERT_DAYS,
  STATUS_PAGE,
  QUORUM,
  VIEW_FILE,
  SSL_CERT_FILE,
  NODE_EXTRA_CA_CERTS,
];

/** The variables a program reads, in --help order. */
export function variablesOf(program: Program): readonly Variable<unknown>[] {
  return VARIABLES.filter((v) => v.programs.includes(program));
}

/** The description --help shows for `program`. */
export function describe(v: Declaration, program: Program): string {
  return typeof v.description === 'string' ? v.description : v.description[program];
}

/** Whether `env` must set `v` (a requirement may depend on another variable). */
export function isRequired(v: Declaration, env: Environment): boolean {
  if (v.required === undefined) return false;
  return v.required === true || v.required.unless.every((other) => readVariable(env, other) === undefined);
}

/** The first required variable that is missing, in declaration order (the originals' order). */
export function missingVariable(env: Environment, program: Program): string | null {
  const missing = variablesOf(program).find((v) => isRequired(v, env) && readVariable(env, v.name) === undefined);
  return missing === undefined ? null : missing.name;
}

// ---- the typed readers

/** TIMEOUT's seconds (curl's `-m`, whole milliseconds) as the milliseconds timers take. */
function timeoutMs(timeoutSec: number): number {
  return timeoutSec * 1000;
}

export interface RouterConfig {
  readonly urls: readonly string[];
  /** null: every mount point `df -P` lists, recomputed per request. */
  readonly volumes: readonly string[] | null;
  readonly timeoutSec: number;
  /** TIMEOUT in milliseconds, as every timer and request takes it (0: no limit). */
  readonly timeoutMs: number;
  readonly authFile: string | null;
  /** CERT_DAYS (docs/behaviour.md §10): null means unset, /status as the originals write it. */
  readonly certDays: number | null;
  /** STATUS_PAGE=1 (docs/behaviour.md §10): GET /ui answers the status page (src/ui/page.ts). */
  readonly statusPage: boolean;
}

export function readRouterEnv(env: Environment, program: Program = 'router'): RouterConfig {
  const timeoutSec = TIMEOUT.read(env, program);
  return {
    urls: URLS.read(env, program),
    volumes: VOLUMES.read(env, program),
    timeoutSec,
    timeoutMs: timeoutMs(timeoutSec),
    authFile: AUTH_FILE.read(env, program),
    certDays: CERT_DAYS.read(env, program),
    statusPage: STATUS_PAGE.read(env, program),
  };
}

export interface ProbeConfig extends RouterConfig {
  readonly port: number;
  /** VIEW_FILE: served at GET /view; null: /view is 404 (docs/behaviour.md §10 "Quorum"). */
  readonly viewFile: string | null;
}

export function readProbeEnv(env: Environment): ProbeConfig {
  return { ...readRouterEnv(env, 'probe'), port: PORT.read(env, 'probe'), viewFile: VIEW_FILE.read(env, 'probe') };
}

export interface WatcherConfig {
  readonly peersDns: string;
  /** PEERS_SRV: null means PEERS_DNS's peers (§6.4); set, the SRV version's (§12). */
  readonly peersSrv: string | null;
  readonly tgToken: string;
  readonly tgChatId: string;
  /** null: detect the host's own addresses. */
  readonly self: readonly string[] | null;
  /** Kept as text: the originals paste it into the URL as given. */
  readonly peersPort: string;
  readonly peersScheme: string;
  readonly peersToken: string | null;
  readonly timeoutSec: number;
  /** TIMEOUT in milliseconds, as every timer and request takes it (0: no limit). */
  readonly timeoutMs: number;
  readonly pollingIntervalSec: number;
  /** POLLING_INTERVAL_SEC as given: the round's first log line prints the variable's text. */
  readonly pollingIntervalText: string;
  readonly stateDir: string;
  readonly spam: boolean;
  /** DIGEST=1: one message per round (src/watcher/delivery/digest.ts). */
  readonly digest: boolean;
  /** ALERTMANAGER_URLS: empty means Telegram (src/watcher/delivery/alertmanager.ts). */
  readonly alertmanagerUrls: readonly string[];
  /** WEBHOOK_URLS: empty means none (src/watcher/delivery/webhook.ts). */
  readonly webhookUrls: readonly string[];
  /** TG_API_URL: the Bot API's base URL (default the originals' https://api.telegram.org). */
  readonly tgApiUrl: string;
  /** METRICS_FILE: null means none (src/watcher/metrics.ts). */
  readonly metricsFile: string | null;
  /** QUORUM: null means off (src/watcher/quorum/). */
  readonly quorum: QuorumRule | null;
  /** VIEW_FILE: where this watcher's view is written under QUORUM. */
  readonly viewFile: string | null;
}

/** Assumes missingVariable(env, 'watcher') === null (start-up checks it first, exit 3). */
export function readWatcherEnv(env: Environment): WatcherConfig {
  const read = <T>(v: Variable<T>): T => v.read(env, 'watcher');
  const interval = read(POLLING_INTERVAL_SEC);
  const peersSrv = read(PEERS_SRV);
  const timeoutSec = read(TIMEOUT);
  return {
    peersDns: read(PEERS_DNS),
    peersSrv,
    tgToken: read(TG_TOKEN),
    tgChatId: read(TG_CHAT_ID),
    self: read(SELF),
    // Ignored with PEERS_SRV (each record has its port), so not checked either (§12).
    peersPort: peersSrv === null ? read(PEERS_PORT) : PEERS_PORT.read({}, 'watcher'),
    peersScheme: read(PEERS_SCHEME),
    peersToken: read(PEERS_TOKEN),
    timeoutSec,
    timeoutMs: timeoutMs(timeoutSec),
    pollingIntervalSec: interval.seconds,
    pollingIntervalText: interval.text,
    stateDir: read(STATE_DIR),
    spam: read(SPAM),
    digest: read(DIGEST),
    alertmanagerUrls: read(ALERTMANAGER_URLS),
    webhookUrls: read(WEBHOOK_URLS),
    tgApiUrl: read(TG_API_URL),
    metricsFile: read(METRICS_FILE),
    ...quorumSettings(read(QUORUM), read(VIEW_FILE), read(SPAM)),
  };
}

/**
 * QUORUM needs VIEW_FILE (the views are how the watchers agree; no default: the probe must
 * serve the same file, and only the operator knows where both can reach it), and cannot be
 * used with SPAM=1 (a message every round is the opposite of one per confirmed change).
 */
function quorumSettings(quorum: QuorumRule | null, viewFile: string | null, spam: boolean): Pick<WatcherConfig, 'quorum' | 'viewFile'> {
  if (quorum !== null && viewFile === null) {
    throw new EnvError('QUORUM', 'QUORUM needs VIEW_FILE: the file this watcher writes its view to, served by its probe at /view');
  }
  if (quorum !== null && spam) throw new EnvError('QUORUM', 'QUORUM cannot be used with SPAM=1');
  return { quorum, viewFile };
}

/** The CA bundles every program that makes https requests trusts (src/http/ca.ts). */
export interface CaFiles {
  readonly sslCertFile: string | null;
  readonly nodeExtraCaCerts: string | null;
}

export function readCaFiles(env: Environment, program: Program): CaFiles {
  return { sslCertFile: SSL_CERT_FILE.read(env, program), nodeExtraCaCerts: NODE_EXTRA_CA_CERTS.read(env, program) };
}

/**
 * The variables glibc's setlocale reads, for the locale curl would run under
 * (src/compat/glibc-locale.ts: it decides whether a non-ASCII host name goes out in punycode).
 * They are the C library's, not the programs' own, so --help does not list them.
 */
export const LOCALE_VARIABLES: readonly string[] = [
  'LC_ALL',
  ...LOCALE_CATEGORIES,
  'LANG',
  'LOCPATH',
  'LOCALE_ARCHIVE_2_27',
  'LOCALE_ARCHIVE',
];

export function readLocaleEnv(env: Environment): LocaleEnv {
  return Object.fromEntries(LOCALE_VARIABLES.map((name) => [name, env[name]]));
}

// ---- --help

/** The `--help` text of a program: usage line, then its commands if any, then its variables and defaults. */
export function formatHelp(name: string, summary: string, program: Program | null, commands?: string): string {
  const usage = `Usage: ${name}\n\n${summary}\n${commands === undefined ? '' : `\n${commands}`}`;
  const variables = program === null ? [] : variablesOf(program);
  if (program === null || variables.length === 0) return usage;
  const width = Math.max(...variables.map((v) => v.name.length));
  const rows = variables.map((v) => `  ${v.name.padEnd(width)}  ${describe(v, program)}${helpNote(v)}`);
  return `${usage}\nEnvironment:\n${rows.join('\n')}\n`;
}

function helpNote(v: Declaration): string {
  if (v.required === true) return ' (required)';
  if (v.required !== undefined) return ` (required unless ${v.required.unless.join(' or ')} is set)`;
  return v.default !== undefined ? ` (default: ${v.default})` : '';
}
