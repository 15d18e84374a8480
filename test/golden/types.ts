// The data model of the golden suite: a case (what to run, in what world), and an
// observation (everything the program did that the suite compares). Cases are plain data so
// they can be reviewed like the contract, serialised into a sandbox, and written by anyone.
import type { ScriptedPeerReply } from '../../scripts/lib/peers.ts';
import type { ScriptedReply } from '../../scripts/lib/telegram.ts';
import type { DnsMode, DnsRecords } from '../../scripts/lib/dns.ts';

export type Program = 'router' | 'base64' | 'probe' | 'watcher';

/**
 * A program of the legacy bin dir: the four, and `watcher-srv`, upstream's later watcher
 * (docs/behaviour.md §12), which the port's `watcher` replaces when PEERS_SRV is set.
 */
export type LegacyProgram = Program | 'watcher-srv';

/** Text (UTF-8) or exact bytes given as base64 (for CR, NUL, invalid UTF-8 ...). */
export type Bytes = string | { readonly base64: string };

/** Bytes from a latin1 string: every char code 0-255 is one byte. */
export const latin1 = (text: string): { readonly base64: string } => ({ base64: Buffer.from(text, 'latin1').toString('base64') });

export interface FileSpec {
  /** Absolute path inside the sandbox (use the SANDBOX paths of sandbox/layout.ts); bytes for a name that is not UTF-8. */
  readonly path: Bytes;
  /** File content; omit with `dir: true` to make a directory. */
  readonly content?: Bytes;
  readonly dir?: boolean;
  /** Make a symbolic link to this target instead of a file (glob cases, §9). */
  readonly symlink?: string;
  /** chmod after creation, e.g. 0o000 (only effective with `runAs: 'nobody'`: root reads anything). */
  readonly mode?: number;
}

export interface RequestSpec {
  /** What the client sends: one piece, or pieces with pauses between them. */
  readonly send: Bytes | readonly (Bytes | { readonly pauseMs: number })[];
  /** Shut down the client's write side after sending (the server then reads EOF). */
  readonly halfClose?: boolean;
  /** Give up reading the answer after this many ms (default 9000; socat's idle limit is 5 s). */
  readonly readTimeoutMs?: number;
  /** Address to connect to (default 127.0.0.1). */
  readonly host?: string;
  /**
   * Port to connect to (default: the case's PORT as a decimal number). The runner waits
   * until PORT or one of these listens (PORT=06104 makes socat listen on 3140, §5).
   */
  readonly port?: number;
  /** Files (re)written just before this request (AUTH_FILE edits apply without restart). */
  readonly writeFiles?: readonly FileSpec[];
}

export interface PeerSpec {
  readonly host: string;
  /** Default 5988. */
  readonly port?: number;
  /** The i-th connection gets answers[i]; later ones the last answer. */
  readonly answers: readonly ScriptedPeerReply[];
}

export interface TelegramSpec {
  /** false: nothing listens on api.telegram.org:443 (connection refused). Default true. */
  readonly listen?: boolean;
  readonly answers?: readonly ScriptedReply[];
  /** After the script (default ok). */
  readonly then?: ScriptedReply;
}

export interface RoundAction {
  readonly round: number;
  /** Removed recursively (e.g. STATE_DIR, to see a failing state write). */
  readonly removePaths?: readonly string[];
  readonly writeFiles?: readonly FileSpec[];
}

export interface GoldenCase {
  /** Unique, [a-z0-9-]+; also the expectation file name. Prefix it with the program. */
  readonly id: string;
  readonly program: Program;
  /** The legacy side runs this program instead of `program` (default: `program`). */
  readonly legacyProgram?: LegacyProgram;
  /** One line: what the case pins, with contract references (§4.5, D2, ...). */
  readonly title: string;
  /** Environment on top of PATH=/usr/local/bin:/usr/bin:/bin (nothing else from the host). */
  readonly env?: Readonly<Record<string, string>>;
  /** More environment, as exact bytes (values that are not UTF-8, which `env` cannot hold). */
  readonly envBytes?: Readonly<Record<string, Bytes>>;
  readonly args?: readonly string[];
  /** router: stdin bytes (default empty). */
  readonly stdin?: Bytes;
  /** probe: requests sent one after another, each on its own connection. */
  readonly requests?: readonly RequestSpec[];
  /** Files and directories created before the program starts. */
  readonly files?: readonly FileSpec[];
  /** Extra /etc/hosts lines (api.telegram.org and localhost are always there); bytes for names that are not UTF-8. */
  readonly hosts?: readonly Bytes[];
  /** tmpfs mounts made before `files` (a mount point with a name that is not ASCII, for /disk). */
  readonly mounts?: readonly { readonly path: string; readonly size: string }[];
  readonly dns?: { readonly records?: DnsRecords; readonly mode?: DnsMode };
  /**
   * watcher: DNS per round. Entry i applies from the (i+1)-th `polling peers via` line on
   * (the last one stays). Answers are then decided 25 ms after each query, so a query sent
   * right after that line still gets the new round's answer.
   */
  readonly dnsRounds?: readonly { readonly records?: DnsRecords; readonly mode?: DnsMode }[];
  /** watcher: done when the round-th `polling peers via` line appears (1 = first round). */
  readonly roundActions?: readonly RoundAction[];
  readonly peers?: readonly PeerSpec[];
  readonly telegram?: TelegramSpec;
  /** watcher: stop it when the (rounds+1)-th `polling peers via` line appears. Default 1. */
  readonly rounds?: number;
  /** Addresses (CIDR) put on a veth interface in the sandbox: what `hostname -I` sees. */
  readonly addresses?: readonly string[];
  /** Something listens on 0.0.0.0:<port> before the program starts (probe: port in use). */
  readonly occupyPort?: number;
  /** Run the program as uid/gid 65534, so mode-000 files are really unreadable. */
  readonly runAs?: 'root' | 'nobody';
  /** Extra directories whose files are collected (STATE_DIR is collected when set). */
  readonly collect?: readonly string[];
  /** Hard bound for the whole run, ms (default: router/base64 15000, probe 30000, watcher 30000). */
  readonly timeoutMs?: number;
  /**
   * 'expected' (default): each side against its committed expectation.
   * 'sides': host-dependent output (default VOLUMES = every mount): port against legacy.
   */
  readonly compare?: 'expected' | 'sides';
  /** D-numbers whose fix makes the port's output differ: expected/<id>.port.json is then used. */
  readonly divergences?: readonly string[];
  /** Compare the exit status after the runner's stop signal (signal-handling cases only). */
  readonly checkStopStatus?: boolean;
  /** watcher/probe: the signal the runner stops it with (default SIGTERM). */
  readonly stopSignal?: 'SIGTERM' | 'SIGINT' | 'SIGHUP';
  /**
   * watcher: stop `stopDelayMs` after the rounds-th `polling peers via` line instead of at the
   * next one, and keep everything printed until it exited (for signal cases: stop it while it
   * sleeps between rounds, with a long POLLING_INTERVAL_SEC).
   */
  readonly stopDelayMs?: number;
}

/** What the sandbox driver reports (bytes as base64). */
export interface RawObservation {
  readonly stdout: string;
  readonly stderr: string;
  /** 'exit 0', 'signal SIGKILL', 'stopped' (the runner ended it as planned), 'timeout' (bound hit). */
  readonly exit: string;
  /** Only with checkStopStatus: how it ended after the runner's SIGTERM. */
  readonly stopStatus?: string;
  readonly responses?: readonly { readonly bytes: string; readonly end: 'close' | 'reset' | 'timeout' }[];
  readonly files?: Readonly<Record<string, string>>;
  readonly telegram?: readonly { method: string; path: string; contentType: string; body: string | { base64: string } }[];
  readonly peerRequests?: readonly { peer: string; method: string; path: string; authorization: readonly string[] }[];
  /** Problems of the harness itself (not of the program). */
  readonly harnessErrors?: readonly string[];
}

/** An observation after normalisation, as stored in expected/<id>.json. */
export interface Observation {
  stdout: string | { base64: string };
  stderr: string | { base64: string };
  exit: string;
  stopStatus?: string;
  responses?: { bytes: string | { base64: string }; end: string }[];
  files?: Record<string, string | { base64: string }>;
  telegram?: { method: string; path: string; contentType: string; body: string | { base64: string } }[];
  peerRequests?: { peer: string; method: string; path: string; authorization: readonly string[] }[];
  harnessErrors?: readonly string[];
}
