// Tests that need real tools: decided when the file loads, a test whose tools are not all on
// PATH is an uvu skip (scripts/test.mjs counts it as skipped), its title saying what is missing;
// never an early return, which would count as a pass.
import { test, type Callback } from 'uvu';
import { have } from '../../scripts/lib/process.ts';

/** uvu's `test` when every one of `tools` is on PATH; else `test.skip`, titled with the missing ones and `hint`. */
export function testIfInstalled(tools: readonly string[], hint = ''): (name: string, fn: Callback) => void {
  const missing = tools.filter((tool) => !have(tool));
  if (missing.length === 0) return test;
  return (name, fn) => {
    const title = `${name} (skipped: ${missing.join(', ')} not installed${hint ? `: ${hint}` : ''})`;
    console.log(`# ${title}`); // uvu counts skips but does not name them
    test.skip(title, fn);
  };
}
