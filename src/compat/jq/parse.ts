// jq 1.6's reading of its input (Debian 12's 1.6-2.1+deb12u1; docs/behaviour.md §6.6b, §9): the
// stream of values `jq <body>` reads from a peer body, stopping at the first parse error and
// keeping what it read before it. A leading UTF-8 BOM is skipped, numbers are whatever its
// strtod reads in full (leading zeros, `+1`, `.5`, `1.`, `inf`, `nan`), raw control characters
// U+0001-U+001E in strings are refused, invalid UTF-8 becomes U+FFFD (one per bad sequence,
// jvp_utf8_next's rule), nesting deeper than 256 stack slots is refused (an object member takes
// two). Objects keep jq's key order (insertion order; a repeated key keeps its first place and
// its last value), so they are Maps, not JS objects (which move integer-like keys first).
// Checked against jq 1.6 by test/differential/jq-summary.test.ts (with the filter and the
// printers of filter.ts and print.ts). Pure.

export type JqValue = null | boolean | number | string | JqValue[] | Map<string, JqValue>;

/** jq 1.6's MAX_PARSING_DEPTH (stack slots: `[`, `{` and each object key take one). */
const MAX_DEPTH = 256;

export interface JqRead {
  /** The top-level values jq parsed before the end or the first parse error, in order. */
  readonly values: JqValue[];
  /** A parse error stopped jq (it printed `parse error: ...` and exited non-zero). */
  readonly parseError: boolean;
}

/** The top-level values of a body as jq 1.6 reads them (never throws). */
export function readJqValues(body: Buffer): JqRead {
  // D28: jq 1.6 reads a NUL byte according to its 4 KiB fgets buffer (a token ends there,
  // a string keeps it, the rest of a chunk without a newline is dropped): such a body is not
  // read at all here, so it counts as one jq prints nothing for (D9).
  if (body.includes(0)) return { values: [], parseError: true };
  const parser = new Parser(body);
  const values: JqValue[] = [];
  try {
    parser.bom();
    for (;;) {
      parser.skipSpace();
      if (parser.atEnd()) return { values, parseError: false };
      const value = parser.value(0);
      // A top-level literal ends with the next byte; jq handles a structure character there
      // before it emits the literal, so when that character is an error the literal is lost.
      if (!(value instanceof Map) && !Array.isArray(value) && typeof value !== 'string' && parser.atStructure()) {
        throw new JqParseError('structure character after a top-level literal');
      }
      values.push(value);
    }
  } catch (err) {
    if (!(err instanceof JqParseError)) throw err;
    return { values, parseError: true };
  }
}

class JqParseError extends Error {}

const WHITESPACE = new Set([0x20, 0x09, 0x0d, 0x0a]);
const STRUCTURE = new Set([0x5b, 0x2c, 0x5d, 0x7b, 0x3a, 0x7d]); // [ , ] { : }
const QUOTE = 0x22;

class Parser {
  private pos = 0;
  constructor(private readonly bytes: Buffer) {}

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** A UTF-8 BOM is skipped only at the very start; a partial one is "Malformed BOM". */
  bom(): void {
    if (this.bytes[0] !== 0xef) return;
    if (this.bytes[1] !== 0xbb || this.bytes[2] !== 0xbf) throw new JqParseError('Malformed BOM');
    this.pos = 3;
  }

  /** The next byte is `[ , ] { : }` (every one of them is an error right after a top-level literal). */
  atStructure(): boolean {
    return STRUCTURE.has(this.bytes[this.pos] as number);
  }

  skipSpace(): void {
    while (this.pos < this.bytes.length && WHITESPACE.has(this.bytes[this.pos] as number)) this.pos += 1;
  }

  /** One value; `slots` is the parser stack depth jq has reached around it. */
  value(slots: number): JqValue {
    this.skipSpace();
    const c = this.bytes[this.pos];
    if (c === undefined) throw new JqParseError('Unfinished JSON term');
    if (c === 0x5b) return this.array(slots + 1);
    if (c === 0x7b) return this.object(slots + 1);
    if (c === QUOTE) return this.string();
    if (STRUCTURE.has(c)) throw new JqParseError('unexpected structure character');
    return literal(this.token());
  }

  /** A maximal run of bytes that are not whitespace, structure or a quote (jq's literal token). */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.bytes.length) {
      const c = this.bytes[this.pos] as number;
      if (WHITESPACE.has(c) || STRUCTURE.has(c) || c === QUOTE) break;
      this.pos += 1;
    }
    return this.bytes.subarray(start, this.pos).toString('latin1');
  }

  private array(slots: number): JqValue[] {
    const out: JqValue[] = [];
    this.members(slots, 0x5d, () => out.push(this.value(slots)));
    return out;
  }

  private object(slots: number): Map<string, JqValue> {
    const out = new Map<string, JqValue>();
    this.members(slots, 0x7d, () => {
      this.skipSpace();
      if (this.bytes[this.pos] !== QUOTE) throw new JqParseError('Object keys must be strings');
      const key = this.string();
      this.skipSpace();
      if (this.bytes[this.pos] !== 0x3a) throw new JqParseError('Objects must consist of key:value pairs');
      this.pos += 1;
      // The key sits on jq's stack while its value is parsed.
      if (slots + 1 > MAX_DEPTH) throw new JqParseError('Exceeds depth limit for parsing');
      out.set(key, this.value(slots + 1));
    });
    return out;
  }

  /** The `[` or `{` at pos and its members up to `close`, comma-separated, each read by `member`. */
  private members(slots: number, close: number, member: () => void): void {
    if (slots > MAX_DEPTH) throw new JqParseError('Exceeds depth limit for parsing');
    this.pos += 1;
    this.skipSpace();
    if (this.bytes[this.pos] === close) {
      this.pos += 1;
      return;
    }
    for (;;) {
      member();
      this.skipSpace();
      const c = this.bytes[this.pos];
      this.pos += 1;
      if (c === 0x2c) continue;
      if (c === close) return;
      throw new JqParseError('Expected separator between values');
    }
  }

  /** A string: escapes decoded, raw control characters 0x01-0x1e refused, bad UTF-8 replaced. */
  private string(): string {
    let i = this.pos + 1;
    const raw: number[] = [];
    for (;;) {
      const c = this.bytes[i];
      if (c === undefined) throw new JqParseError('Unfinished string');
      if (c === QUOTE) break;
      if (c === 0x5c) {
        const e = this.bytes[i + 1];
        if (e === undefined) throw new JqParseError('Unfinished string');
        raw.push(c, e);
        i += 2;
        continue;
      }
      raw.push(c);
      i += 1;
    }
    this.pos = i + 1;
    return decodeString(Buffer.from(raw));
  }
}

const SIMPLE_ESCAPES: Record<string, number> = { '\\': 0x5c, '"': 0x22, '/': 0x2f, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };

/** jq 1.6's found_string: escapes to UTF-8 bytes, then the whole string's UTF-8 repaired. */
function decodeString(raw: Buffer): string {
  const out: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as number;
    if (c !== 0x5c) {
      if (c > 0 && c < 0x1f) throw new JqParseError('Invalid string: control characters from U+0000 through U+001F must be escaped');
      out.push(c);
      i += 1;
      continue;
    }
    const e = String.fromCharCode(raw[i + 1] as number);
    i += 2;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out.push(simple);
      continue;
    }
    if (e !== 'u') throw new JqParseError('Invalid escape');
    const hex = raw.subarray(i, i + 4).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JqParseError('Invalid characters in \\uXXXX escape');
    let code = parseInt(hex, 16);
    i += 4;
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = raw.subarray(i + 2, i + 6).toString('latin1');
      const lowCode = raw[i] === 0x5c && raw[i + 1] === 0x75 && /^[0-9a-fA-F]{4}$/.test(low) ? parseInt(low, 16) : -1;
      if (lowCode < 0xdc00 || lowCode > 0xdfff) throw new JqParseError('Invalid \\uXXXX\\uXXXX surrogate pair escape');
      i += 6;
      code = 0x10000 + (((code - 0xd800) << 10) | (lowCode - 0xdc00));
    }
    // A lone low surrogate is encoded as its three bytes, which the repair below replaces.
    out.push(...encodeUtf8Loose(code));
  }
  return decodeUtf8Jq(Buffer.from(out));
}

function encodeUtf8Loose(code: number): number[] {
  if (code < 0x80) return [code];
  if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 0x3f)];
  if (code < 0x10000) return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
  return [0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
}

/** Sequence length by first byte as jq's utf8_coding_length has it (0 = invalid, -1 = continuation). */
function codingLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte < 0xc0) return -1;
  if (byte < 0xc2) return 0;
  if (byte < 0xe0) return 2;
  if (byte < 0xf0) return 3;
  if (byte < 0xf5) return 4;
  return 0;
}

const FIRST_CODEPOINT = [0, 0, 0x80, 0x800, 0x10000];

/** UTF-8 to text with jvp_utf8_next's replacement rule (not WHATWG's maximal subparts). */
export function decodeUtf8Jq(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const first = bytes[i] as number;
    let length = codingLength(first);
    let code = -1;
    if (length === 1) {
      code = first;
    } else if (length <= 0) {
      length = 1;
    } else if (i + length > bytes.length) {
      length = bytes.length - i;
    } else {
      code = first & (0xff >> (length + 1));
      for (let k = 1; k < length; k++) {
        const ch = bytes[i + k] as number;
        if (codingLength(ch) !== -1) {
          code = -1;
          length = k;
          break;
        }
        code = (code << 6) | (ch & 0x3f);
      }
      if (code !== -1 && (code < (FIRST_CODEPOINT[length] as number) || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)) code = -1;
    }
    out += code === -1 ? '\ufffd' : String.fromCodePoint(code);
    i += length;
  }
  return out;
}

/**
 * A literal token: `true`, `false`, `null`, or a number jq's strtod reads in full. Debian 12's
 * jq (1.6-2.1+deb12u1, the CVE-2025-48060 fix) checks every token starting with `n` against
 * `null`, so a lowercase `nan` is an invalid literal (`NaN`, `-nan` still read as NaN).
 */
function literal(token: string): JqValue {
  const first = token[0];
  const word = first === 't' ? 'true' : first === 'f' ? 'false' : first === 'n' ? 'null' : undefined;
  if (word !== undefined) {
    if (token !== word) throw new JqParseError('Invalid literal');
    return word === 'true' ? true : word === 'false' ? false : null;
  }
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(token);
  if (special) {
    if ((special[2] as string).toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(token)) throw new JqParseError('Invalid numeric literal');
  return Number(token.replace(/\.(?=$|[eE])/, ''));
}
