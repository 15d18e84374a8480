// What every entry point shares: `--help` and `--version`. The originals ignore their
// arguments, so these two flags change nothing that systemd runs.
import { formatHelp, type Program } from './env.ts';

declare const __SENTINELLA_VERSION__: string;
const VERSION = typeof __SENTINELLA_VERSION__ === 'string' ? __SENTINELLA_VERSION__ : 'dev';

export interface ProgramInfo {
  readonly name: string;
  readonly summary: string;
  /** Whose variables --help lists (src/env.ts); null: none. */
  readonly program: Program | null;
}

/** Prints help or version and returns true when argv asks for one; the caller then exits 0. */
export function answerInfoFlags(argv: readonly string[], program: ProgramInfo): boolean {
  // Only the long forms (D19): `-h` is an argument like any other, ignored as the originals
  // ignore it (docs/behaviour.md §9).
  if (argv.includes('--help')) {
    process.stdout.write(formatHelp(program.name, program.summary, program.program));
    return true;
  }
  if (argv.includes('--version')) {
    process.stdout.write(`${program.name} (sentinella) ${VERSION}\n`);
    return true;
  }
  return false;
}
