// src/compat/glibc-locale.ts: the locale curl would run under (setlocale(LC_ALL, "") as glibc
// reads it), which decides whether a non-ASCII host name goes out in punycode. The real glibc
// and curl are compared with it in test/differential/curl-url-scenario.ts (names, LOCPATH, an
// archive made by localedef); these pin the rules one by one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  archiveNames,
  isUtf8Locale,
  localeInstalled,
  localeNames,
  normalisedCodeset,
  type Installed,
} from '../../../src/compat/glibc-locale.ts';

test('localeNames: LC_ALL, else the category, else LANG, else C; empty counts as unset', () => {
  assert.is(localeNames({}).get('LC_CTYPE'), 'C');
  assert.is(localeNames({ LANG: 'en_US.UTF-8' }).get('LC_TIME'), 'en_US.UTF-8');
  assert.is(localeNames({ LANG: 'a', LC_CTYPE: 'b' }).get('LC_CTYPE'), 'b');
  assert.is(localeNames({ LANG: 'a', LC_CTYPE: 'b' }).get('LC_NUMERIC'), 'a');
  assert.is(localeNames({ LC_ALL: 'c', LC_CTYPE: 'b' }).get('LC_CTYPE'), 'c');
  assert.is(localeNames({ LC_ALL: '', LC_CTYPE: 'b' }).get('LC_CTYPE'), 'b');
  assert.is(localeNames({}).size, 12);
});

test("normalisedCodeset: glibc's lowercase alphanumerics, `iso` before digits only", () => {
  assert.is(normalisedCodeset('en_US.UTF-8'), 'utf8');
  assert.is(normalisedCodeset('C.utf8@euro'), 'utf8');
  assert.is(normalisedCodeset('de_DE.8859-1'), 'iso88591');
  assert.is(normalisedCodeset('en_US'), '');
});

test('isUtf8Locale: every category installed, LC_CTYPE with a UTF-8 codeset', () => {
  const only =
    (...names: string[]): Installed =>
    (name) =>
      names.includes(name);
  assert.ok(isUtf8Locale({ LANG: 'C.UTF-8' }, only('C.UTF-8')));
  assert.ok(isUtf8Locale({ LC_CTYPE: 'C.UTF-8' }, only('C.UTF-8')));
  assert.ok(isUtf8Locale({ LANG: 'C.UTF-8', LC_NUMERIC: 'POSIX' }, only('C.UTF-8')));
  assert.not.ok(isUtf8Locale({}, only()));
  assert.not.ok(isUtf8Locale({ LANG: 'C.UTF-8' }, only()));
  assert.not.ok(isUtf8Locale({ LANG: 'C.UTF-8', LC_ALL: 'C' }, only('C.UTF-8')));
  // One category whose locale is missing makes the whole call fail: everything stays C.
  assert.not.ok(isUtf8Locale({ LANG: 'C.UTF-8', LC_MESSAGES: 'xx_YY.UTF-8' }, only('C.UTF-8')));
  assert.not.ok(isUtf8Locale({ LANG: 'en_US.ISO-8859-1' }, only('en_US.ISO-8859-1')));
  assert.not.ok(isUtf8Locale({ LANG: '/usr/lib/locale/C.utf8' }, only('/usr/lib/locale/C.utf8')));
});

/** A locale archive as glibc lays it out: header, name hash table, string table. */
function archive(names: readonly string[]): Buffer {
  const hashOffset = 64;
  const hashSize = 7;
  const stringOffset = hashOffset + hashSize * 12;
  const strings = Buffer.from(names.map((n) => `${n}\0`).join(''), 'latin1');
  const out = Buffer.alloc(stringOffset + strings.length);
  out.writeUInt32LE(0xde020109, 0);
  out.writeUInt32LE(hashOffset, 8);
  out.writeUInt32LE(names.length, 12);
  out.writeUInt32LE(hashSize, 16);
  out.writeUInt32LE(stringOffset, 20);
  out.writeUInt32LE(strings.length, 24);
  let at = 0;
  names.forEach((name, i) => {
    out.writeUInt32LE(1234 + i, hashOffset + (i * 2 + 1) * 12);
    out.writeUInt32LE(stringOffset + at, hashOffset + (i * 2 + 1) * 12 + 4);
    out.writeUInt32LE(4096 * (i + 1), hashOffset + (i * 2 + 1) * 12 + 8);
    at += Buffer.byteLength(name) + 1;
  });
  strings.copy(out, stringOffset);
  return out;
}

test('archiveNames and localeInstalled: the archive (unless LOCPATH), LOCPATH, /usr/lib/locale; name as written or normalised', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentinella-locale-'));
  try {
    const file = path.join(dir, 'locale-archive');
    writeFileSync(file, archive(['en_US.utf8', 'de_DE.utf8']));
    assert.equal([...archiveNames(file)].sort(), ['de_DE.utf8', 'en_US.utf8']);
    assert.equal(archiveNames(path.join(dir, 'missing')).size, 0);
    writeFileSync(path.join(dir, 'not-an-archive'), 'hello');
    assert.equal(archiveNames(path.join(dir, 'not-an-archive')).size, 0);

    const fromArchive = localeInstalled({ LOCALE_ARCHIVE: file });
    assert.ok(fromArchive('en_US.UTF-8', 'LC_CTYPE'));
    assert.ok(fromArchive('de_DE.utf8', 'LC_TIME'));
    assert.not.ok(fromArchive('fr_FR.UTF-8', 'LC_CTYPE'));
    assert.ok(localeInstalled({ LOCALE_ARCHIVE_2_27: file, LOCALE_ARCHIVE: '/nonexistent' })('en_US.UTF-8', 'LC_CTYPE'));

    const locpath = path.join(dir, 'locpath');
    mkdirSync(path.join(locpath, 'xx_YY.utf8'), { recursive: true });
    writeFileSync(path.join(locpath, 'xx_YY.utf8', 'LC_CTYPE'), '');
    const withLocpath = localeInstalled({ LOCPATH: `/nonexistent:${locpath}`, LOCALE_ARCHIVE: file });
    assert.ok(withLocpath('xx_YY.UTF-8', 'LC_CTYPE'));
    assert.not.ok(withLocpath('xx_YY.UTF-8', 'LC_TIME'));
    // LOCPATH set: the archive is not read.
    assert.not.ok(withLocpath('en_US.UTF-8', 'LC_CTYPE'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
