// A temporary directory for one test, removed afterwards whatever happens (unit, differential
// and process tests alike).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs `use` with a fresh temporary directory, removed afterwards whatever happens. */
export async function inTempDir<T>(prefix: string, use: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `sentinella-${prefix}-`));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
