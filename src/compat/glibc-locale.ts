// glibc 2.36's choice of a locale (setlocale(LC_ALL, "")) for curl 7.88.1, as far as the port
// needs it: whether its character set is UTF-8. curl converts a URL's non-ASCII host name to
// punycode with libidn2, which reads the name in the locale's character set: under C (or a
// locale that is not installed) curl refuses such a URL with code 3 (docs/behaviour.md §9).
// curl calls setlocale(LC_ALL, ""), so glibc's rules apply: each category takes LC_ALL, else
// its own LC_<category>, else LANG, else C; when one of them is not installed the whole call
// fails and every category stays C.
// The decision is pure (isUtf8Locale); whether a locale is installed is read from the files
// glibc reads (localeInstalled), only when a URL has a non-ASCII host. Checked against the
// real curl under 21 locale settings by test/differential/curl-url.test.ts.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

/** The categories setlocale(LC_ALL, "") sets, each from LC_ALL, LC_<category> or LANG. */
export const LOCALE_CATEGORIES = [
  'LC_CTYPE',
  'LC_NUMERIC',
  'LC_TIME',
  'LC_COLLATE',
  'LC_MONETARY',
  'LC_MESSAGES',
  'LC_PAPER',
  'LC_NAME',
  'LC_ADDRESS',
  'LC_TELEPHONE',
  'LC_MEASUREMENT',
  'LC_IDENTIFICATION',
] as const;

export type LocaleCategory = (typeof LOCALE_CATEGORIES)[number];

/** The variables glibc reads for it (LOCALE_ARCHIVE*: nixpkgs' glibc, as on NixOS). */
export type LocaleEnv = Readonly<Record<string, string | undefined>>;

/** Is a locale of this name installed for this category? */
export type Installed = (name: string, category: LocaleCategory) => boolean;

const set = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

/** The locale name each category gets from setlocale(LC_ALL, "") (pure). */
export function localeNames(env: LocaleEnv): Map<LocaleCategory, string> {
  const all = set(env.LC_ALL);
  const lang = set(env.LANG);
  return new Map(LOCALE_CATEGORIES.map((category) => [category, all ?? set(env[category]) ?? lang ?? 'C']));
}

/** glibc's normalised codeset of a locale name (`en_US.UTF-8` → `utf8`), '' without one. */
export function normalisedCodeset(name: string): string {
  const codeset = /\.([^@]*)/.exec(name)?.[1] ?? '';
  const alnum = codeset.toLowerCase().replace(/[^a-z0-9]/g, '');
  return /^[0-9]+$/.test(alnum) ? `iso${alnum}` : alnum;
}

/** The name with its codeset normalised, as glibc also looks it up (`C.UTF-8` → `C.utf8`). */
function normalisedName(name: string): string {
  return name.replace(/\.([^@]*)/, () => `.${normalisedCodeset(name)}`);
}

/** Whether curl's locale is UTF-8, given how to tell an installed locale (pure). */
export function isUtf8Locale(env: LocaleEnv, installed: Installed): boolean {
  const names = localeNames(env);
  for (const [category, name] of names) {
    if (name === 'C' || name === 'POSIX') continue;
    // glibc refuses names holding a slash (a path) and overlong ones.
    if (name.includes('/') || name.length > 255 || !installed(name, category)) return false;
  }
  return normalisedCodeset(names.get('LC_CTYPE') as string) === 'utf8';
}

// ---- the files glibc reads (I/O)

const DEFAULT_LOCALE_DIR = '/usr/lib/locale';
const ARCHIVE_MAGIC = 0xde020109;

/**
 * The locale names a locale archive holds: its header gives the name hash table, whose
 * used entries point at NUL-terminated names. Empty when the file is missing or not one.
 */
export function archiveNames(file: string): Set<string> {
  const names = new Set<string>();
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return names;
  }
  try {
    const read = (offset: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      const got = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, got);
    };
    const head = read(0, 32);
    if (head.length < 32 || head.readUInt32LE(0) !== ARCHIVE_MAGIC) return names;
    const [hashOffset, , hashSize, stringOffset, stringUsed] = [8, 12, 16, 20, 24].map((at) => head.readUInt32LE(at)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    // A few hundred locales at most: bounded reads whatever the header says.
    const table = read(hashOffset, Math.min(hashSize, 1 << 16) * 12);
    const strings = read(stringOffset, Math.min(stringUsed, 1 << 22));
    for (let at = 0; at + 12 <= table.length; at += 12) {
      const nameOffset = table.readUInt32LE(at + 4);
      const record = table.readUInt32LE(at + 8);
      if (record === 0 || nameOffset < stringOffset) continue;
      const start = nameOffset - stringOffset;
      const end = strings.indexOf(0, start);
      if (start < strings.length && end > start) names.add(strings.toString('latin1', start, end));
    }
    return names;
  } finally {
    closeSync(fd);
  }
}

/**
 * glibc's search for a locale, as `Installed`: the archive (LOCALE_ARCHIVE_2_27 or
 * LOCALE_ARCHIVE under nixpkgs' glibc, else /usr/lib/locale/locale-archive) unless LOCPATH
 * is set, then LOCPATH's directories, then /usr/lib/locale. A directory holds one file (or
 * directory) per category. The name is tried as written, then with its codeset normalised.
 * Not followed: locale.alias and glibc's fallbacks to a less specific name (`en_US.utf8`
 * served by `en_US`), which only matter for unusual installations.
 */
export function localeInstalled(env: LocaleEnv): Installed {
  const locpath = set(env.LOCPATH);
  let archive: Set<string> | undefined;
  return (name, category) => {
    const variants = [...new Set([name, normalisedName(name)])];
    if (locpath === undefined) {
      archive ??= archiveNames(set(env.LOCALE_ARCHIVE_2_27) ?? set(env.LOCALE_ARCHIVE) ?? path.join(DEFAULT_LOCALE_DIR, 'locale-archive'));
      if (variants.some((variant) => archive?.has(variant))) return true;
    }
    const dirs = [...(locpath ?? '').split(':').filter((dir) => dir !== ''), DEFAULT_LOCALE_DIR];
    return dirs.some((dir) => variants.some((variant) => existsSync(path.join(dir, variant, category))));
  };
}
