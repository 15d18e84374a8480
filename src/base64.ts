// The legacy `base64` helper's CLI (docs/behaviour.md §3), with its two defects fixed: encoding is
// correct for every input [D10] and `decode` really decodes [D3]. Its error lines and exit
// statuses stay the originals' (dash's `parameter not set or null`, exit 2 or 0).
import { encode } from './bytes.ts';

export interface CliResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly status: number;
}

/**
 * RFC 4648 base64 (standard alphabet, `=` padding) of the bytes, as they are: the originals
 * encode an argument's raw bytes (`\xe9\xff` gives `6f8=`), which a string keeps as
 * src/bytes.ts says.
 */
export function encodeBase64(value: string | Buffer): string {
  return (typeof value === 'string' ? encode(value) : value).toString('base64');
}

/**
 * [D3] The bytes a base64 text stands for. Characters outside the alphabet (line breaks,
 * spaces) are skipped and padding is optional, as most decoders do.
 */
export function decodeBase64(text: string): Buffer {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

/** The dash message for `${N:?}` on an unset or empty positional parameter. */
function parameterNotSet(program: string, index: number): string {
  return `${program}: ${index}: parameter not set or null\n`;
}

/**
 * `base64 MODE STRING`. `program` is the path the error lines name (process.argv[1]), as
 * dash names the script; dash adds the line number, which the port cannot sensibly keep.
 */
export function runBase64(program: string, args: readonly string[]): CliResult {
  const mode = args[0];
  if (mode === undefined || mode.length === 0) {
    return { stdout: Buffer.alloc(0), stderr: parameterNotSet(program, 1), status: 2 };
  }
  const value = args[1];
  if (mode === 'encode') {
    if (value === undefined || value.length === 0) {
      // The original fails inside a pipeline, so its exit status stays 0.
      return { stdout: Buffer.alloc(0), stderr: parameterNotSet(program, 2), status: 0 };
    }
    return { stdout: Buffer.from(`${encodeBase64(value)}\n`, 'latin1'), stderr: '', status: 0 };
  }
  if (mode === 'decode') {
    // The original prints its output line's newline even when the input is missing.
    if (value === undefined || value.length === 0) {
      return { stdout: Buffer.from('\n'), stderr: parameterNotSet(program, 2), status: 0 };
    }
    return { stdout: Buffer.concat([decodeBase64(value), Buffer.from('\n')]), stderr: '', status: 0 };
  }
  return { stdout: Buffer.alloc(0), stderr: '', status: 0 };
}
