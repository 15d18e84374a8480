// Entry point of the legacy-compatible `base64` helper (`base64 encode|decode STRING`).
import { answerInfoFlags } from '../cli.ts';
import { readFileSync } from 'node:fs';
import { runBase64 } from '../base64.ts';
import { decode } from '../bytes.ts';

/**
 * The arguments with their bytes kept (src/bytes.ts; docs/behaviour.md §3: the originals encode
 * bytes that are not UTF-8 as they are; process.argv has already replaced them with U+FFFD).
 * They are the last entries of /proc/self/cmdline (Node's own options come before the script);
 * process.argv's strings when that file cannot be read or does not line up.
 */
function rawArguments(decoded: readonly string[]): readonly string[] {
  try {
    const cmdline = readFileSync('/proc/self/cmdline');
    const parts: Buffer[] = [];
    let start = 0;
    for (let end = cmdline.indexOf(0); end >= 0; end = cmdline.indexOf(0, start)) {
      parts.push(cmdline.subarray(start, end));
      start = end + 1;
    }
    const raw = parts.slice(parts.length - decoded.length);
    const agrees = decoded.length <= parts.length && raw.every((bytes, i) => bytes.toString('utf8') === decoded[i]);
    return agrees ? raw.map(decode) : decoded;
  } catch {
    return decoded;
  }
}

const args = process.argv.slice(2);
if (!(args[0]?.startsWith('-') && answerInfoFlags(args, 'base64'))) {
  const result = runBase64(process.argv[1] ?? 'base64', rawArguments(args));
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.stdout.length > 0) process.stdout.write(result.stdout);
  process.exitCode = result.status;
}
