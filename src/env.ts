// The environment contract of every program, in one place: names, defaults, and how a value
// is read. Entry points call the read*Env functions; --help prints the same tables.
// Contract: docs/behaviour.md §4 (router), §5 (probe), §6 (watcher).

export type Environment = Record<string, string | undefined>;

export interface VariableSpec {
  readonly name: string;
  /** Default as the originals apply it; undefined means "unset" (optional, or required). */
  readonly default?: string;
  readonly required?: boolean;
  readonly description: string;
}

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

export const ROUTER_VARIABLES: readonly VariableSpec[] = [
  { name: 'URLS', description: 'whitespace-separated URLs that /status checks (default: none)' },
  {
    name: 'VOLUMES',
    description: 'whitespace-separated paths (globs allowed) that /disk reports (default: every mount point `df -P` lists)',
  },
  { name: 'TIMEOUT', default: '5', description: 'seconds allowed for each URL check' },
  { name: 'AUTH_FILE', description: 'file of `user:pass` lines; when set, every request needs Basic Auth' },
];

export const PROBE_VARIABLES: readonly VariableSpec[] = [
  { name: 'PORT', default: '5988', description: 'TCP port to listen on (IPv4, all addresses)' },
  ...ROUTER_VARIABLES,
];

export const WATCHER_VARIABLES: readonly VariableSpec[] = [
  { name: 'PEERS_DNS', required: true, description: 'DNS name whose addresses are the peers' },
  { name: 'TG_TOKEN', required: true, description: 'Telegram bot token' },
  { name: 'TG_CHAT_ID', required: true, description: 'Telegram chat id' },
  { name: 'SELF', description: "space-separated addresses of this node (default: the host's own addresses)" },
  { name: 'PEERS_PORT', default: '5988', description: 'port every peer probe listens on' },
  { name: 'PEERS_SCHEME', default: 'http', description: 'URL scheme for peer probes' },
  { name: 'PEERS_TOKEN', description: 'Basic Auth token sent to every peer (base64 of user:pass)' },
  { name: 'TIMEOUT', default: '5', description: 'seconds allowed for each peer request and each notification' },
  { name: 'POLLING_INTERVAL_SEC', default: '3', description: 'seconds of sleep between rounds' },
  { name: 'STATE_DIR', default: '/var/lib/sentinella', description: 'directory of the <cksum>.state files' },
  { name: 'SPAM', default: '0', description: '1: notify on every round, not only on changes' },
  { name: 'DIGEST', default: '0', description: "1: at most one Telegram message per round, holding every change of the round" },
  {
    name: 'ALERTMANAGER_URLS',
    description: 'space-separated Alertmanager base URLs; when set, alerts go to all of them (API v2) instead of Telegram, and TG_TOKEN/TG_CHAT_ID are not needed',
  },
  { name: 'METRICS_FILE', description: "file rewritten after every round with the watcher's metrics (Prometheus text format, for node_exporter's textfile collector)" },
];

/** The originals read `${NAME:-default}`: an empty value counts as unset. */
export function readVariable(env: Environment, name: string, fallback?: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** Splits like the shell splits an unquoted expansion on the default IFS. */
export function splitWords(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/[ \t\n]+/).filter((word) => word !== '');
}

/** A non-negative number of seconds (curl --max-time and sleep accept fractions). */
export function readSeconds(env: Environment, name: string, fallback: string): number {
  const text = readVariable(env, name, fallback) as string;
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text)) {
    throw new EnvError(name, `${name} must be a number of seconds, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function readPort(env: Environment, name: string, fallback: string): number {
  const text = readVariable(env, name, fallback) as string;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new EnvError(name, `${name} must be a TCP port (1-65535), got ${JSON.stringify(text)}`);
  }
  return port;
}

export interface RouterConfig {
  readonly urls: readonly string[];
  /** null: every mount point `df -P` lists, recomputed per request. */
  readonly volumes: readonly string[] | null;
  readonly timeoutSec: number;
  readonly authFile: string | null;
}

export function readRouterEnv(env: Environment): RouterConfig {
  const volumes = readVariable(env, 'VOLUMES');
  return {
    urls: splitWords(readVariable(env, 'URLS')),
    volumes: volumes === undefined ? null : splitWords(volumes),
    timeoutSec: readSeconds(env, 'TIMEOUT', '5'),
    authFile: readVariable(env, 'AUTH_FILE') ?? null,
  };
}

export interface ProbeConfig extends RouterConfig {
  readonly port: number;
}

export function readProbeEnv(env: Environment): ProbeConfig {
  return { ...readRouterEnv(env), port: readPort(env, 'PORT', '5988') };
}

export interface WatcherConfig {
  readonly peersDns: string;
  readonly tgToken: string;
  readonly tgChatId: string;
  /** null: detect the host's own addresses. */
  readonly self: readonly string[] | null;
  /** Kept as text: the originals paste it into the URL as given. */
  readonly peersPort: string;
  readonly peersScheme: string;
  readonly peersToken: string | null;
  readonly timeoutSec: number;
  readonly pollingIntervalSec: number;
  /** POLLING_INTERVAL_SEC as given: the round's first log line prints the variable's text. */
  readonly pollingIntervalText: string;
  readonly stateDir: string;
  readonly spam: boolean;
  /** DIGEST=1: one message per round (src/watcher/digest.ts). */
  readonly digest: boolean;
  /** ALERTMANAGER_URLS: empty means Telegram (src/watcher/alertmanager.ts). */
  readonly alertmanagerUrls: readonly string[];
  /** METRICS_FILE: null means none (src/watcher/metrics.ts). */
  readonly metricsFile: string | null;
}

/** The first required variable that is missing, in the order the originals check them. */
export function missingWatcherVariable(env: Environment): string | null {
  // With ALERTMANAGER_URLS the watcher never talks to Telegram.
  const names = readVariable(env, 'ALERTMANAGER_URLS') === undefined ? ['PEERS_DNS', 'TG_TOKEN', 'TG_CHAT_ID'] : ['PEERS_DNS'];
  for (const name of names) {
    if (readVariable(env, name) === undefined) return name;
  }
  return null;
}

/** Assumes missingWatcherVariable(env) === null (the entry point checks it first, exit 3). */
export function readWatcherEnv(env: Environment): WatcherConfig {
  const self = readVariable(env, 'SELF');
  readPort(env, 'PEERS_PORT', '5988'); // D14: a port that is not a number is named, not polled
  return {
    peersDns: readVariable(env, 'PEERS_DNS') as string,
    tgToken: readVariable(env, 'TG_TOKEN', '') as string,
    tgChatId: readVariable(env, 'TG_CHAT_ID', '') as string,
    self: self === undefined ? null : splitWords(self),
    peersPort: readVariable(env, 'PEERS_PORT', '5988') as string,
    peersScheme: readVariable(env, 'PEERS_SCHEME', 'http') as string,
    peersToken: readVariable(env, 'PEERS_TOKEN') ?? null,
    timeoutSec: readSeconds(env, 'TIMEOUT', '5'),
    pollingIntervalSec: readSeconds(env, 'POLLING_INTERVAL_SEC', '3'),
    pollingIntervalText: readVariable(env, 'POLLING_INTERVAL_SEC', '3') as string,
    stateDir: readVariable(env, 'STATE_DIR', '/var/lib/sentinella') as string,
    spam: readVariable(env, 'SPAM', '0') === '1',
    digest: readSwitch(env, 'DIGEST'),
    alertmanagerUrls: readBaseUrls(env, 'ALERTMANAGER_URLS'),
    metricsFile: readVariable(env, 'METRICS_FILE') ?? null,
  };
}

/** A new opt-in switch: `1` on, `0` or unset off, anything else named as an error. */
export function readSwitch(env: Environment, name: string): boolean {
  const text = readVariable(env, name, '0') as string;
  if (text !== '0' && text !== '1') throw new EnvError(name, `${name} must be 0 or 1, got ${JSON.stringify(text)}`);
  return text === '1';
}

/** Space-separated http(s) base URLs. */
export function readBaseUrls(env: Environment, name: string): string[] {
  const words = splitWords(readVariable(env, name));
  for (const word of words) {
    let ok = false;
    try {
      const url = new URL(word);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
    } catch {
      // not a URL
    }
    if (!ok) throw new EnvError(name, `${name} must be space-separated http(s) base URLs, got ${JSON.stringify(word)}`);
  }
  return words;
}

/** The `--help` text of a program: usage line, then its variables and defaults. */
export function formatHelp(program: string, summary: string, variables: readonly VariableSpec[]): string {
  const usage = `Usage: ${program}\n\n${summary}\n`;
  if (variables.length === 0) return usage;
  const width = Math.max(...variables.map((v) => v.name.length));
  const rows = variables.map((v) => {
    const note = v.required ? ' (required)' : v.default !== undefined ? ` (default: ${v.default})` : '';
    return `  ${v.name.padEnd(width)}  ${v.description}${note}`;
  });
  return `${usage}\nEnvironment:\n${rows.join('\n')}\n`;
}
