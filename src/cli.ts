// What every entry point shares: `--help` and `--version` (the originals ignore their
// arguments, so these two flags change nothing that systemd runs), reading a server's
// configuration, and the outbound client's trust and locale.
import { EnvError, formatHelp, readCaFiles, readLocaleEnv, type Environment, type Program } from './env.ts';
import { trustCaFiles } from './http/ca.ts';
import { useLocale } from './http/client.ts';

declare const __SENTINELLA_VERSION__: string;
const VERSION = typeof __SENTINELLA_VERSION__ === 'string' ? __SENTINELLA_VERSION__ : 'dev';

/** The programs: each one's --help summary, and whose variables it lists (src/env.ts; null: none). */
const PROGRAMS = {
  probe: {
    summary: 'Serves /, /status and /disk over HTTP on PORT (IPv4, all addresses), one request per connection.',
    variables: 'probe',
  },
  router: { summary: 'Answers one HTTP request read from stdin on stdout (/, /status, /disk), then exits.', variables: 'router' },
  watcher: {
    summary:
      'Polls every peer found under PEERS_DNS (or in the SRV records of PEERS_SRV) and sends a Telegram message when one changes state.',
    variables: 'watcher',
  },
  base64: { summary: "base64 encode STRING | base64 decode STRING (the originals' helper, not coreutils base64).", variables: null },
} as const satisfies Record<string, { readonly summary: string; readonly variables: Program | null }>;

export type ProgramName = keyof typeof PROGRAMS;

/**
 * The subcommands in --help, after the summary: the watcher's silences (D19: new words as the
 * first argument; docs/behaviour.md §10 "Silences", src/watcher/silence-command.ts).
 */
const COMMANDS: Partial<Record<ProgramName, string>> = {
  watcher: `Commands (any other argument is ignored, as the originals ignore it):
  silence <peer> <duration> [reason]  announce no change of <peer> for <duration> (90s, 30m, 2h, 1d);
                                      when it ends, its state is announced if it differs
  unsilence <peer>                    end <peer>'s silence now
  silences                            list the silences running
  <peer>: an address, a host name (every address it resolves to) or a peer URL. They change
  STATE_DIR/silences.json, which the running watcher reads at its next round.
`,
};

/** Prints help or version and returns true when argv asks for one; the caller then exits 0. */
export function answerInfoFlags(argv: readonly string[], name: ProgramName): boolean {
  // Only the long forms (D19): `-h` is an argument like any other, ignored as the originals
  // ignore it (docs/behaviour.md §9).
  if (argv.includes('--help')) {
    process.stdout.write(formatHelp(name, PROGRAMS[name].summary, PROGRAMS[name].variables, COMMANDS[name]));
    return true;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${name} (sentinella) ${VERSION}\n`);
    return true;
  }
  return false;
}

/** The outbound client as the originals' curl had it: the CA files it trusted, the locale it read (IDN). */
export function prepareClient(env: Environment, program: Program): void {
  trustCaFiles(readCaFiles(env, program));
  useLocale(readLocaleEnv(env));
}

/** A configuration read, or the line a bad value stops the program with. */
export type Configured<C> =
  { readonly ok: true; readonly config: C } | { readonly ok: false; readonly status: number; readonly stderr: string };

/**
 * Reads `program`'s configuration and prepares the outbound client. A bad value is one line
 * naming the variable and status 1 ([D14]: the originals' socat also exits 1 on a bad PORT).
 */
export function configure<C>(env: Environment, program: Program, programPath: string, read: (env: Environment) => C): Configured<C> {
  try {
    const config = read(env);
    prepareClient(env, program);
    return { ok: true, config };
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { ok: false, status: 1, stderr: `${programPath}: ${error.message}\n` };
  }
}
