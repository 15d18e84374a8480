// The text a C program prints for an errno (glibc's strerror), for the error lines the port
// writes where the originals' tools (df, socat, the shell) wrote theirs. One table for every
// module: a Node error's own message (`EACCES: permission denied, open '/x'`) is never what
// the originals printed.

/**
 * By Node's error code: glibc's strerror text, and for a few codes the short lowercase reason
 * the port's own lines give in parentheses (`cannot read AUTH_FILE /x (no such file)`, D8;
 * the goldens pin these words).
 */
const ERRNO: Readonly<Record<string, { readonly text: string; readonly reason?: string }>> = {
  EACCES: { text: 'Permission denied', reason: 'permission denied' },
  EADDRINUSE: { text: 'Address already in use' },
  EDQUOT: { text: 'Disk quota exceeded' },
  EIO: { text: 'Input/output error' },
  EISDIR: { text: 'Is a directory', reason: 'is a directory' },
  ELOOP: { text: 'Too many levels of symbolic links' },
  ENAMETOOLONG: { text: 'File name too long' },
  ENOENT: { text: 'No such file or directory', reason: 'no such file' },
  ENOSPC: { text: 'No space left on device' },
  ENOTDIR: { text: 'Not a directory' },
  EPERM: { text: 'Operation not permitted' },
  EROFS: { text: 'Read-only file system' },
};

/** The code of a Node system error (`ENOENT`...), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** strerror's text for the error's code (`No such file or directory`), if the table has it. */
export function errnoText(error: unknown): string | undefined {
  const code = errnoCode(error);
  return code === undefined ? undefined : ERRNO[code]?.text;
}

/** The short lowercase reason (`no such file`), if the table has one. */
export function errnoReason(error: unknown): string | undefined {
  const code = errnoCode(error);
  return code === undefined ? undefined : ERRNO[code]?.reason;
}
