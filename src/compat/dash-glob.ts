// The shell's pathname expansion of one unquoted word, as dash 0.5.12 does it for the router's
// VOLUMES and URLS words (docs/behaviour.md §4.7, §4.8, §9), relative to the process's working
// directory for a word without a leading `/`: the word is a byte string; `*`, `?` and `[...]` are matched byte by
// byte (a UTF-8 `é` is two bytes for `?`); `\` escapes the next character (dash leaves the
// backslashes of an unquoted expansion to the matcher); `[!...]` negates, `^` is an ordinary
// member; a component starting with `.` (or `\.`) is matched only by a pattern component
// starting with `.`, and then `.` and `..` are candidates too; a trailing `/` keeps only
// directories (symlinks to directories included) and stays in the result; the matches are
// sorted bytewise (strcmp); a word without `*?[`, or one matching nothing, stays as written.
// The walk follows dash's expmeta: components before the first one with a pattern are taken
// as written (backslashes removed), the rest is checked with opendir/readdir and, after the
// last pattern component, lstat. Checked against dash by test/differential/dash-glob.test.ts
// (and, through the router's URLS words, dash-urls.test.ts).
import { lstat, readdir } from 'node:fs/promises';
import { fromLatin1, toLatin1 } from '../bytes.ts';

/** The file system the expansion reads (injected in tests). Paths are latin1 byte strings. */
export interface GlobFs {
  /** The entry names of a directory, without `.` and `..`; null when it cannot be opened. */
  list(dir: string): Promise<string[] | null>;
  /** Whether lstat(path) succeeds (a trailing `/` makes it follow a symlink to a directory). */
  exists(path: string): Promise<boolean>;
}

const bytes = (path: string) => Buffer.from(path, 'latin1');

export const realGlobFs: GlobFs = {
  async list(dir) {
    try {
      const names = await readdir(bytes(dir), { encoding: 'buffer' });
      return names.map((name) => name.toString('latin1'));
    } catch {
      return null;
    }
  },
  async exists(path) {
    try {
      await lstat(bytes(path));
      return true;
    } catch {
      return false;
    }
  },
};

export function hasGlobMeta(word: string): boolean {
  return /[*?[]/.test(word);
}

/** A byte as C's signed `char` (dash compares bracket ranges that way). */
const signed = (code: number) => (code >= 128 ? code - 256 : code);

// dash's character classes, in the C locale (bytes >= 0x80 belong to none).
const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => /[A-Za-z0-9]/.test(String.fromCharCode(c)),
  cntrl: (c) => c < 32 || c === 127,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  print: (c) => c >= 32 && c < 127,
  upper: (c) => c >= 65 && c <= 90,
  blank: (c) => c === 32 || c === 9,
  graph: (c) => c > 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !/[A-Za-z0-9]/.test(String.fromCharCode(c)),
  xdigit: (c) => /[0-9A-Fa-f]/.test(String.fromCharCode(c)),
};

/**
 * dash's pmatch: whether the byte string `name` matches the pattern component (pure).
 * Both are latin1 strings; the pattern holds no `/`.
 */
export function patternMatches(pattern: string, name: string): boolean {
  return matchFrom(pattern, 0, name, 0);
}

function matchFrom(pattern: string, pi: number, name: string, ni: number): boolean {
  let p = pi;
  let q = ni;
  for (;;) {
    if (p >= pattern.length) return q >= name.length;
    let c = pattern[p++] as string;
    if (c === '\\') {
      if (p < pattern.length) c = pattern[p++] as string;
    } else if (c === '?') {
      if (q >= name.length) return false;
      q += 1;
      continue;
    } else if (c === '*') {
      while (pattern[p] === '*') p += 1;
      for (let k = q; k <= name.length; k++) if (matchFrom(pattern, p, name, k)) return true;
      return false;
    } else if (c === '[') {
      if (q >= name.length) return false;
      const bracket = matchBracket(pattern, p, name.charCodeAt(q));
      if (bracket !== null) {
        if (!bracket.found) return false;
        p = bracket.next;
        q += 1;
        continue;
      }
      // no closing `]`: the `[` is an ordinary character
    }
    if (name[q] !== c) return false;
    q += 1;
  }
}

/** A bracket expression starting after `[` at `start`; null when it has no closing `]`. */
function matchBracket(pattern: string, start: number, chr: number): { found: boolean; next: number } | null {
  let p = start;
  let invert = false;
  if (pattern[p] === '!') {
    invert = true;
    p += 1;
  }
  let found = false;
  let c = pattern[p++];
  do {
    if (c === undefined) return null;
    if (c === '[') {
      const cls = /^:([a-z]+):\]/.exec(pattern.slice(p));
      const test = cls ? CLASSES[cls[1] as string] : undefined;
      if (cls && test) {
        if (test(chr)) found = true;
        p += cls[0].length;
        continue;
      }
    } else if (c === '\\') {
      c = pattern[p++];
      if (c === undefined) return null;
    }
    if (pattern[p] === '-' && pattern[p + 1] !== ']' && p + 1 < pattern.length) {
      p += 1;
      if (pattern[p] === '\\') p += 1;
      const end = pattern[p];
      if (end === undefined) return null;
      const low = signed(c.charCodeAt(0));
      const high = signed(end.charCodeAt(0));
      if (signed(chr) >= low && signed(chr) <= high) found = true;
      p += 1;
    } else if (c.charCodeAt(0) === chr) {
      found = true;
    }
  } while ((c = pattern[p++]) !== ']');
  return { found: found !== invert, next: p };
}

/** Drops each escaping backslash (`\x` -> `x`; a final lone `\` stays), as expmeta copies. */
function unescape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) i += 1;
    out += text[i];
  }
  return out;
}

/** The first component holding a pattern, as dash's expmeta scans for it. */
function findPatternComponent(name: string): { start: number; end: number; esc: number } | null {
  let meta = false;
  let start = 0;
  let p = 0;
  while (p < name.length) {
    const ch = name[p];
    let esc = 0;
    if (ch === '*' || ch === '?') {
      meta = true;
    } else if (ch === '[') {
      let q = p + 1;
      if (name[q] === '!') q += 1;
      for (;;) {
        if (name[q] === '\\') q += 1;
        if (q >= name.length || name[q] === '/') break;
        q += 1;
        if (name[q] === ']') {
          meta = true;
          break;
        }
      }
    } else {
      if (ch === '\\' && p + 1 < name.length) esc = 1;
      if (name[p + esc] === '/') {
        if (meta) return { start, end: p, esc };
        start = p + esc + 1;
      }
    }
    p += esc + 1;
  }
  return meta ? { start, end: name.length, esc: 0 } : null;
}

async function expmeta(fs: GlobFs, name: string, dir: string, found: string[]): Promise<void> {
  const component = findPatternComponent(name);
  if (component === null) {
    if (dir === '') return;
    const path = dir + unescape(name);
    if (await fs.exists(path)) found.push(path);
    return;
  }
  const { start, end, esc } = component;
  const base = dir + unescape(name.slice(0, start));
  const names = await fs.list(base === '' ? '.' : base);
  if (names === null) return;
  const pattern = name.slice(start, end);
  const atEnd = end >= name.length;
  const rest = atEnd ? '' : name.slice(end + esc + 1);
  const unescaped = pattern.startsWith('\\') ? pattern.slice(1) : pattern;
  const matchDot = unescaped.startsWith('.');
  // readdir(3) returns `.` and `..`; Node's readdir leaves them out.
  const candidates = matchDot ? ['.', '..', ...names] : names;
  for (const entry of candidates) {
    if (entry.startsWith('.') && !matchDot) continue;
    if (!patternMatches(pattern, entry)) continue;
    if (atEnd) found.push(base + entry);
    else await expmeta(fs, rest, `${base}${entry}/`, found);
  }
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // latin1 strings: code units are the bytes
}

/**
 * Expands one word given as a latin1 byte string: its matches sorted bytewise, or the word
 * itself when it has no pattern character or nothing matches.
 */
export async function globBytes(word: string, fs: GlobFs = realGlobFs): Promise<string[]> {
  if (!hasGlobMeta(word)) return [word];
  const found: string[] = [];
  await expmeta(fs, word, '', found);
  return found.length > 0 ? found.sort(compareBytes) : [word];
}

/** Expands one word given as text (src/bytes.ts keeps bytes that are not UTF-8); results as text. */
export async function globWord(word: string, fs: GlobFs = realGlobFs): Promise<string[]> {
  const matches = await globBytes(toLatin1(word), fs);
  return matches.map(fromLatin1);
}

/**
 * Expands every word (`for w in $WORDS`): each word's matches in place, in the words' order.
 * VOLUMES and URLS words are expanded this way on every request, as the router's loops did.
 */
export async function globWords(words: readonly string[], fs: GlobFs = realGlobFs): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) out.push(...(await globWord(word, fs)));
  return out;
}
