// Reading peer bodies the way jq 1.6 reads them (contract §6 b, D1 compatibility): old routers
// write `"code":000`, which strict JSON rejects but jq 1.6 accepts (numbers may have leading
// zeros). JSON.parse is the fast path; this small parser is the fallback and differs from it
// only in that leniency. Depth is bounded so a hostile body cannot overflow the stack.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** jq 1.6 refuses to parse deeper nesting ("Exceeds depth limit for parsing"). */
const MAX_DEPTH = 256;

/** The value of a body, or undefined when neither JSON.parse nor jq 1.6 would read it. */
export function parseLenientJson(text: string): Json | undefined {
  try {
    const value = JSON.parse(text) as Json;
    return depthWithin(value, MAX_DEPTH) ? value : undefined;
  } catch {
    // fall through to the lenient parser
  }
  try {
    const parser = new Parser(text);
    parser.skipSpace();
    const value = parser.value(0);
    parser.skipSpace();
    return parser.atEnd() ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Iterative, so a hostile body cannot overflow the stack here either. */
function depthWithin(root: Json, limit: number): boolean {
  const stack: Array<[Json, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [Json, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return false;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return true;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] as string)) this.pos += 1;
  }

  value(depth: number): Json {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw new Error(`unexpected ${ch ?? 'end'}`);
  }

  private object(depth: number): Json {
    const out: { [key: string]: Json } = {};
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') throw new Error('key expected');
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        continue;
      }
      this.expect('}');
      return out;
    }
  }

  private array(depth: number): Json {
    const out: Json[] = [];
    this.pos += 1;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return out;
    }
    for (;;) {
      this.skipSpace();
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos += 1;
        continue;
      }
      this.expect(']');
      return out;
    }
  }

  private string(): string {
    // Reuse the strict string grammar: find the closing quote, then let JSON.parse decode it.
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) throw new Error('unterminated string');
    const decoded = JSON.parse(this.text.slice(this.pos, i + 1)) as string;
    this.pos = i + 1;
    return decoded;
  }

  private number(): number {
    // JSON's number grammar, except that the integer part may have leading zeros (jq 1.6).
    const match = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw new Error('bad number');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) throw new Error(`${ch} expected`);
    this.pos += 1;
  }
}

/** What `jq -r` prints for a value (one output, without the trailing newline). */
export function jqRawText(value: Json | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return jqNumber(value);
  if (typeof value === 'boolean') return String(value);
  return jqPretty(value, '');
}

/** What jq's string interpolation `"\\(.x)"` makes of a value: strings raw, the rest as compact JSON. */
export function jqInterpolate(value: Json | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return value;
  return jqCompact(value);
}

function jqCompact(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return jqNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jqCompact).join(',')}]`;
  return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${jqCompact(value[k] as Json)}`).join(',')}}`;
}

/**
 * jq 1.6's number format (jvp_dtoa_fmt): the shortest digits that read back to the same
 * double; exponential when the decimal point is 4+ places left of them or more than 15 places
 * right of their end (`1e+16`, `1e-05`, but `300000`, `123456789012345680000`); exponent with
 * a sign and at least two digits.
 */
export function jqNumber(n: number): string {
  if (Object.is(n, -0)) return '-0';
  if (Number.isNaN(n)) return 'null';
  if (!Number.isFinite(n)) return n > 0 ? '1.7976931348623157e+308' : '-1.7976931348623157e+308';
  const sign = n < 0 ? '-' : '';
  const [mantissa = '0', exp = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1;
  if (decpt <= -4 || decpt > digits.length + 15) {
    const e = decpt - 1;
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function jqPretty(value: Json, indent: string): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : jqRawText(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + jqPretty(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${jqPretty(value[k] as Json, inner)}`).join(',\n')}\n${indent}}`;
}
