// State files (docs/behaviour.md §6 d, e): STATE_DIR/<cksum of url>.state holding the last state string
// without a trailing newline. Writes are atomic (temp file in STATE_DIR, fsync, rename), so a
// crash, a power loss or SIGKILL never leaves a half-written state file.
import fs from 'node:fs';
import path from 'node:path';
import { stateFileName } from './message.ts';

export function statePath(stateDir: string, url: string): string {
  return path.join(stateDir, stateFileName(url));
}

/** The file's content without trailing newlines (like `$(cat file)`), or '' when unreadable. */
export function readState(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/\n+$/, '');
  } catch {
    return '';
  }
}

let sequence = 0;

/** Writes `state` to `file` atomically; throws the fs error when it cannot. */
export function writeStateAtomic(file: string, state: string): void {
  writeFileAtomic(file, state);
}

/**
 * Writes `content` to `file` atomically (temporary file in the same directory, fsync, rename,
 * fsync of the directory); throws the fs error when it cannot. Also used for the migrated chat
 * id (migration.ts).
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${sequence++}.tmp`);
  try {
    const fd = fs.openSync(temp, 'w', 0o644);
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Best effort: some file systems refuse fsync on a directory; the rename is done.
  }
}
