// State files (docs/behaviour.md §6 d, e): STATE_DIR/<cksum of url>.state (src/compat/cksum.ts)
// holding the last state string without a trailing newline. Writes are atomic (temp file in STATE_DIR, fsync, rename), so a
// crash, a power loss or SIGKILL never leaves a half-written state file. File names, contents
// and the URL cksum reads are bytes as src/bytes.ts keeps them (STATE_DIR may hold any).
import fs from 'node:fs';
import path from 'node:path';
import { decode, encode } from '../bytes.ts';
import { cksum } from '../compat/cksum.ts';
import { commandSubstitution } from '../compat/dash-substitution.ts';
import { errnoCode, errnoText } from '../errno.ts';
import { log, white, type Stderr } from '../log.ts';

/** `<cksum of the URL>.state` */
export function stateFileName(url: string): string {
  return `${cksum(url)}.state`;
}

export function statePath(stateDir: string, url: string): string {
  return path.join(stateDir, stateFileName(url));
}

/**
 * The last state's bytes as the originals read them, `$(cat file)`: the file's bytes with NUL
 * bytes dropped and trailing newlines removed (dash's command substitution, src/compat/dash-substitution.ts); empty
 * when the file cannot be read (`|| last=`).
 */
export function readStateBytes(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(encode(file));
  } catch {
    return Buffer.alloc(0);
  }
  return Buffer.from(commandSubstitution(bytes.toString('latin1')), 'latin1');
}

/**
 * The last state as text (src/bytes.ts: bytes that are not UTF-8 kept), compared with the
 * current one. The bytes are cleaned before decoding, as dash sees them: a NUL inside a UTF-8
 * sequence does not break it.
 */
export function readState(file: string): string {
  return decode(readStateBytes(file));
}

/** When the state file was last written (ms since the epoch), or undefined when there is none. */
export function stateWrittenMs(file: string): number | undefined {
  try {
    return fs.statSync(encode(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

let sequence = 0;

/**
 * Writes `content` to `file` atomically (temporary file in the same directory, fsync, rename,
 * fsync of the directory); throws the fs error when it cannot. Used for the state files, the
 * metrics file and the migrated chat id.
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${sequence++}.tmp`);
  try {
    const fd = fs.openSync(encode(temp), 'w', 0o644);
    try {
      fs.writeSync(fd, encode(content));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(encode(temp), encode(file));
  } catch (err) {
    fs.rmSync(encode(temp), { force: true });
    throw err;
  }
  try {
    const dirFd = fs.openSync(encode(dir), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Best effort: some file systems refuse fsync on a directory; the rename is done.
  }
}

/**
 * `mkdir -p`, one component at a time. Not fs.mkdirSync's `recursive`: on Node 20 that loops
 * forever on a path under /proc (ENOENT from a parent it cannot create).
 */
export function mkdirParents(dir: string): void {
  const absolute = path.resolve(dir);
  const parts = absolute.split('/').filter((p) => p !== '');
  let current = '';
  for (const part of parts) {
    current += `/${part}`;
    try {
      fs.mkdirSync(encode(current));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!fs.statSync(encode(current)).isDirectory())
        throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: 'ENOTDIR' });
    }
  }
}

/**
 * The peers' state files as the round reads and writes them. D13: a state that cannot be
 * written (state directory gone or read-only) is not lost. The originals die there (errexit)
 * and systemd restarts them; the port logs an error, keeps the state here so the alert is not
 * repeated every round, and writes it when it can again.
 */
export class StateFiles {
  /** States that could not be written, by file. */
  private readonly unwritten = new Map<string, string>();

  constructor(
    private readonly stateDir: string,
    private readonly stderr: Stderr,
  ) {}

  /**
   * The state remembered before this round's `state` (one kept in memory first; '' for none).
   * A kept one this round's state equals is written now, quietly (the directory may be back).
   */
  last(file: string, state: string): string {
    const remembered = this.unwritten.get(file);
    const last = remembered ?? readState(file);
    if (state === last && remembered !== undefined) this.write(file, state, false);
    return last;
  }

  /** Writes `state`; `loud`: say what went wrong (a delivered change's state). */
  write(file: string, state: string, loud = true): void {
    try {
      writeFileAtomic(file, state);
    } catch (err) {
      // The state directory may have been removed while we run: recreate it, as start-up would.
      try {
        mkdirParents(this.stateDir);
        writeFileAtomic(file, state);
        if (loud) log(this.stderr, 'warn', `state directory ${white(this.stateDir)} was missing: created it again`);
      } catch {
        if (loud)
          log(
            this.stderr,
            'error',
            `cannot write state file ${white(file)}: ${errnoText(err) ?? errnoCode(err) ?? String(err)}; keeping the state in memory`,
          );
        this.unwritten.set(file, state);
        return;
      }
    }
    this.unwritten.delete(file);
  }
}
