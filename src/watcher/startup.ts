// Start-up of the watcher (docs/behaviour.md §6.1-2), before any round: the state directory (with the
// originals' fallback), then the required variables, then the numbers (D14).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { commandLine, decode } from '../bytes.ts';
import { mkdirParents } from './state.ts';
import { EnvError, missingVariable, readWatcherEnv, STATE_DIR, type Environment, type WatcherConfig } from '../env.ts';

/** Where start-up failed before any round: the status and what the originals print then. */
export interface StartupFailure {
  readonly ok: false;
  readonly status: number;
  readonly stderr: string;
}

export type Startup = { readonly ok: true; readonly config: WatcherConfig } | StartupFailure;

/** The state directory in use, or why there is none. */
export type StateDir = { readonly ok: true; readonly dir: string } | StartupFailure;

/**
 * `mkdir -p STATE_DIR 2>/dev/null || { STATE_DIR=$HOME/.local/$(basename STATE_DIR); mkdir -p
 * STATE_DIR; }`. Returns the directory used. When the fallback fails too, the originals end
 * with mkdir's own message (status 1); for that rare path the port runs mkdir itself to print
 * exactly what it prints. HOME unset is dash's nounset error (status 2).
 */
export function prepareStateDir(stateDir: string, home: string | undefined, programPath = 'watcher'): StateDir {
  try {
    mkdirParents(stateDir);
    return { ok: true, dir: stateDir };
  } catch {
    if (home === undefined) return { ok: false, status: 2, stderr: `${programPath}: HOME: parameter not set\n` };
    const fallback = `${home}/.local/${path.basename(stateDir)}`;
    try {
      mkdirParents(fallback);
      return { ok: true, dir: fallback };
    } catch (err) {
      const line = commandLine('mkdir', ['-p', fallback]);
      const mkdir = spawnSync(line.file, line.args, { timeout: 5000 });
      if (mkdir.status === 0) return { ok: true, dir: fallback };
      const reason = (err as Error).message;
      const said = mkdir.stderr ? decode(mkdir.stderr) : '';
      return { ok: false, status: 1, stderr: said || `mkdir: cannot create directory '${fallback}': ${reason}\n` };
    }
  }
}

export function startWatcher(env: Environment, programPath: string): Startup {
  // dash's nounset: only an unset HOME is an error (an empty one is used as it is).
  const stateDir = prepareStateDir(STATE_DIR.read(env, 'watcher'), env.HOME, programPath);
  if (!stateDir.ok) return stateDir;
  const missing = missingVariable(env, 'watcher');
  if (missing !== null) return { ok: false, status: 3, stderr: `${missing} not set\n` };
  try {
    return { ok: true, config: { ...readWatcherEnv(env), stateDir: stateDir.dir } };
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    return { ok: false, status: 2, stderr: `${programPath}: ${err.message}\n` };
  }
}
