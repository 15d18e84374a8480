// The watcher's subcommands (docs/behaviour.md §10 "Silences", D19): `watcher silence <peer>
// <duration> [reason]`, `watcher unsilence <peer>`, `watcher silences`. They run with the
// watcher's environment and change STATE_DIR/silences.json (silences.ts), which the running
// watcher reads at its next round; they never talk to it. STATE_DIR is found as start-up
// finds it (startup.ts prepareStateDir: the same fallback), so `sudo env
// STATE_DIR=/var/lib/sentinella watcher silence ...` acts on a unit's directory.
// Exit status: 0 done; 1 the peer, the file or the directory could not be used; 2 bad usage.
import { STATE_DIR, type Environment } from '../env.ts';
import { errnoText, errnoCode } from '../errno.ts';
import { lookupPeers, resolvePeers } from './discovery/resolve.ts';
import {
  activeSilences,
  formatDuration,
  formatUntil,
  parseDuration,
  readPeerArgument,
  type PeerArgument,
  readSilencesFile,
  renderSilences,
  SilenceError,
  silencesPath,
  type Silence,
} from './silences.ts';
import { prepareStateDir } from './startup.ts';
import { writeFileAtomic } from './state.ts';

export const SILENCE_COMMANDS = ['silence', 'unsilence', 'silences'] as const;
export type SilenceCommand = (typeof SILENCE_COMMANDS)[number];

export function isSilenceCommand(word: string | undefined): word is SilenceCommand {
  return (SILENCE_COMMANDS as readonly (string | undefined)[]).includes(word);
}

const USAGE: Readonly<Record<SilenceCommand, string>> = {
  silence: 'usage: watcher silence <peer> <duration> [reason]',
  unsilence: 'usage: watcher unsilence <peer>',
  silences: 'usage: watcher silences',
};

/** How long getent (or Node's resolver) may take for a host name given as <peer>. */
const RESOLVE_MS = 10_000;

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly now?: () => number;
  /** A host name's addresses (default: getent hosts, Node's resolver without getent); throws when the resolver did not answer. */
  readonly resolve?: (name: string) => Promise<string[]>;
}

/** The arguments after the command word, read (usage errors: SilenceError). */
interface Request {
  readonly peer?: PeerArgument;
  readonly seconds?: number;
  readonly reason?: string;
}

const ARGUMENTS: Readonly<Record<SilenceCommand, readonly [number, number]>> = {
  silence: [2, Infinity],
  unsilence: [1, 1],
  silences: [0, 0],
};

export function readRequest(command: SilenceCommand, args: readonly string[]): Request {
  const [least, most] = ARGUMENTS[command];
  if (args.length < least || args.length > most) throw new SilenceError(USAGE[command]);
  if (command === 'silences') return {};
  const peer = readPeerArgument(args[0] as string);
  if (command === 'unsilence') return { peer };
  // The reason's words as one text: `silence 10.0.0.3 2h kernel upgrade` needs no quotes.
  return { peer, seconds: parseDuration(args[1] as string), reason: args.slice(2).join(' ') };
}

/** Runs `argv` (the command word first); returns the exit status. */
export async function runSilenceCommand(argv: readonly string[], env: Environment, io: CommandIo): Promise<number> {
  const [command, ...args] = argv as [SilenceCommand, ...string[]];
  const fail = (status: number, text: string): number => {
    io.stderr(`${command}: ${text}\n`);
    return status;
  };
  let request: Request;
  try {
    request = readRequest(command, args);
  } catch (err) {
    if (!(err instanceof SilenceError)) throw err;
    return fail(2, err.message);
  }

  const stateDir = prepareStateDir(STATE_DIR.read(env, 'watcher'), env.HOME, command);
  if (!stateDir.ok) {
    io.stderr(stateDir.stderr);
    return stateDir.status;
  }
  const file = silencesPath(stateDir.dir);
  const reading = readSilencesFile(file);
  if (!reading.ok) return fail(1, reading.problem);
  const nowMs = (io.now ?? Date.now)();
  // Silences that ran out are dropped whenever the file is written.
  const silences = activeSilences(reading.silences, nowMs);

  const { peer } = request;
  if (peer === undefined) {
    if (silences.size === 0) io.stdout('no silences\n');
    for (const line of listSilences(silences, nowMs)) io.stdout(`${line}\n`);
    return 0;
  }
  let addresses: string[];
  try {
    addresses = 'address' in peer ? [peer.address] : [...new Set(await (io.resolve ?? resolveName)(peer.name))];
  } catch (err) {
    return fail(1, `cannot resolve ${args[0]}: ${(err as Error).message}`);
  }
  if (addresses.length === 0) return fail(1, `cannot resolve ${args[0]}: no address`);

  const said: string[] = [];
  if (request.seconds !== undefined) {
    // Whole seconds, as the file keeps it.
    const silence: Silence = { untilMs: Math.ceil(nowMs / 1000 + request.seconds) * 1000, reason: request.reason ?? '' };
    for (const address of addresses) {
      silences.set(address, silence);
      said.push(`${address} silenced until ${formatUntil(silence.untilMs)}${silence.reason === '' ? '' : ` (${silence.reason})`}`);
    }
  } else {
    for (const address of addresses) if (silences.delete(address)) said.push(`${address} unsilenced`);
    if (said.length === 0) return fail(1, `${addresses.join(' ')} ${addresses.length === 1 ? 'is' : 'are'} not silenced`);
  }
  try {
    writeFileAtomic(file, renderSilences(silences));
  } catch (err) {
    return fail(1, `cannot write ${file}: ${errnoText(err) ?? errnoCode(err) ?? String(err)} (run it as the watcher's user, or root)`);
  }
  for (const line of said) io.stdout(`${line}\n`);
  return 0;
}

/** `watcher silences`: one line per silence, by address: until when, how long still, why. */
export function listSilences(silences: ReadonlyMap<string, Silence>, nowMs: number): string[] {
  const width = Math.max(0, ...[...silences.keys()].map((a) => a.length));
  return [...silences.keys()].sort().map((address) => {
    const s = silences.get(address) as Silence;
    const left = `(${formatDuration((s.untilMs - nowMs) / 1000)} left)`;
    return `${address.padEnd(width)}  until ${formatUntil(s.untilMs)} ${left}${s.reason === '' ? '' : `  ${s.reason}`}`;
  });
}

/**
 * A host name's addresses as the watcher resolves PEERS_DNS (§6.4): getent hosts, Node's
 * resolver where there is no getent (D21); a resolver that did not answer throws why.
 */
async function resolveName(name: string): Promise<string[]> {
  let resolution = await resolvePeers(name, RESOLVE_MS);
  if (resolution.missing) resolution = await lookupPeers(name, RESOLVE_MS);
  if (resolution.problem !== undefined) throw new Error(resolution.problem);
  return resolution.addresses;
}
