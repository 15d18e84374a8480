// Private namespaces, the one way the tests and the scripts make them: `unshare` with the
// argument list said here once. Inside, a fresh network namespace has only lo (down): nothing
// sent there leaves it; a private mount namespace keeps bind mounts over /etc (isolate.ts,
// cluster.ts) inside; when the process ends, even killed, the kernel removes all of it.
import { spawnSync } from 'node:child_process';
import { run, spawnBounded, type BoundedChild, type BoundedOptions, type RunOptions, type RunResult } from './process.ts';

export interface Namespaces {
  /** A private mount namespace too (default true); its propagation private, so no mount leaks out. */
  readonly mount?: boolean;
  /**
   * A PID namespace too (`--fork --kill-child`, its own /proc): the process is its init, so
   * killing it (or unshare's process group) ends every process inside.
   */
  readonly pid?: boolean;
  /** An unprivileged user namespace mapping this user to root (default: when not root). */
  readonly mapRoot?: boolean;
}

/** The unshare arguments (before `--`) for `namespaces`. */
export function unshareArgs(namespaces: Namespaces = {}): string[] {
  const { mount = true, pid = false, mapRoot = process.getuid?.() !== 0 } = namespaces;
  return [
    ...(pid ? ['--pid', '--fork', '--kill-child', '--mount-proc'] : []),
    '--net',
    ...(mount ? ['--mount', '--propagation', 'private'] : []),
    ...(mapRoot ? ['--map-root-user'] : []),
  ];
}

/** Starts `argv` in fresh namespaces, killed once `boundMs` has passed (see spawnBounded). */
export function spawnInNamespaces(argv: readonly string[], options: BoundedOptions & { readonly namespaces?: Namespaces }): BoundedChild {
  const { namespaces, ...rest } = options;
  return spawnBounded('unshare', [...unshareArgs(namespaces), '--', ...argv], rest);
}

/** Runs `argv` to its end in fresh namespaces (see run). */
export function runInNamespaces(
  argv: readonly string[],
  options: RunOptions & { readonly namespaces?: Namespaces } = {},
): Promise<RunResult> {
  const { namespaces, ...rest } = options;
  return run('unshare', [...unshareArgs(namespaces), '--', ...argv], rest);
}

/** Whether `argv` succeeds in fresh namespaces (10 s at most): can this user make them here? */
export function succeedsInNamespaces(argv: readonly string[], namespaces: Namespaces = {}): boolean {
  return spawnSync('unshare', [...unshareArgs(namespaces), '--', ...argv], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
