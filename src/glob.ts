// The shell's pathname expansion of one unquoted VOLUMES word (dash: `*`, `?`, `[...]`,
// a leading `.` matched only explicitly, matches sorted bytewise, a pattern that matches
// nothing stays as it is).
import { readdir, lstat } from 'node:fs/promises';

export function hasGlobMeta(word: string): boolean {
  return /[*?[]/.test(word);
}

/** A RegExp for one path component pattern (pure); null when it has no meta character. */
export function componentPattern(pattern: string): RegExp | null {
  if (!hasGlobMeta(pattern)) return null;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i] as string);
    } else if (ch === '*') {
      source += '[\\s\\S]*';
    } else if (ch === '?') {
      source += '[\\s\\S]';
    } else if (ch === '[') {
      const close = findBracketEnd(pattern, i);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body
        .replace(/\[:(\w+):\]/g, (_, name: string) => POSIX_CLASSES[name] ?? '')
        .replace(/[\]\\^]/g, (c) => `\\${c}`);
      source += `[${negate ? '^' : ''}${cls}]`;
      i = close;
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`);
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

function findBracketEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i += 1;
  if (pattern[i] === ']') i += 1; // a leading ] is a member
  for (; i < pattern.length; i++) {
    if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const end = pattern.indexOf(':]', i + 2);
      if (end > 0) {
        i = end + 1;
        continue;
      }
    }
    if (pattern[i] === ']') return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Expands one word: its matches sorted bytewise, or the word itself when nothing matches. */
export async function globWord(word: string): Promise<string[]> {
  if (!hasGlobMeta(word)) return [word];
  const absolute = word.startsWith('/');
  const parts = word.split('/').filter((part, i) => part !== '' || i === 0);
  let bases = [absolute ? '/' : ''];
  for (let index = absolute ? 1 : 0; index < parts.length; index++) {
    const part = parts[index] as string;
    const regex = componentPattern(part);
    const next: string[] = [];
    for (const base of bases) {
      if (!regex) {
        next.push(joinPath(base, part.replace(/\\(.)/g, '$1')));
        continue;
      }
      let names: string[];
      try {
        names = await readdir(base === '' ? '.' : base);
      } catch {
        continue;
      }
      const hidden = part.startsWith('.');
      for (const name of names.sort(compareBytes)) {
        if (name.startsWith('.') && !hidden) continue;
        if (regex.test(name)) next.push(joinPath(base, name));
      }
    }
    bases = next;
    if (bases.length === 0) break;
  }
  const matches: string[] = [];
  for (const path of bases) if (await exists(path)) matches.push(path);
  return matches.length > 0 ? matches.sort(compareBytes) : [word];
}

function joinPath(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}
