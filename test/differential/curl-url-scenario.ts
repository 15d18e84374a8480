// Run by curl-url.test.ts inside namespaces of its own (test/support/isolate.ts): only its own
// loopback, a private /etc/hosts giving 127.0.0.1 to the names of HOSTS_FILE_NAMES, and a
// resolv.conf pointing at 127.0.0.1:53 where nothing listens, so a name NSS cannot find
// fails at once (curl's code 6) and no lookup leaves the namespace. The same URLs go to the
// real curl (`curl -sS -m 3 -o /dev/null <url>`) and to the port's client, both against
// loopback raw-socket servers (127.0.0.1 and ::1, one port) that record the request bytes.
// Compared: the request line, the Host and Authorization headers, and what each prints on
// failure. Passes: every URL under a UTF-8 locale, the URLs with non-ASCII in their host
// under C, then one IDN URL under locale settings glibc reads in different ways (installed
// or not, LOCPATH, a locale archive made with localedef). Prints one JSON line.
//
//   node --import tsx curl-url-scenario.ts <work dir> <templates JSON file>
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { runOrThrow } from '../../scripts/lib/process.ts';
import { startRawServer, type RawServer } from '../support/raw-server.ts';
import { HOSTS_FILE_NAMES, PORT } from './random-curl.ts';
import { curlGlob } from '../../src/compat/curl-url.ts';
import { send, useLocale } from '../../src/http/client.ts';
import type { LocaleEnv } from '../../src/compat/glibc-locale.ts';

const WORKERS = 6;
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
const [work, templatesFile] = process.argv.slice(2) as [string, string];
const templates = JSON.parse(readFileSync(templatesFile, 'utf8')) as string[];

interface Seen {
  /** Request line, Host and Authorization of each request, in order. */
  readonly requests: string[];
  /** What the client printed on stderr ('' when nothing). */
  readonly stderr: string;
}

const mask = (text: string): string => text.replace(/\d+ (ms|milliseconds)/g, 'N $1');

function essentials(head: Buffer): string {
  const lines = head.toString('latin1').split('\r\n');
  const keep = lines.filter((line, i) => i === 0 || /^(host|authorization):/i.test(line));
  return keep.join(' | ');
}

function runCurl(url: string, locale: LocaleEnv): Promise<string> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...locale } as NodeJS.ProcessEnv;
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '-m', '3', '-o', '/dev/null', url], { encoding: 'latin1', timeout: 20_000, env }, (_error, _stdout, stderr) =>
      resolve(stderr),
    );
  });
}

async function observe(server: RawServer, go: () => Promise<string>): Promise<Seen> {
  const before = server.heads.length;
  const stderr = await go();
  return { requests: server.heads.slice(before).map(essentials), stderr: mask(stderr.replace(/\n$/, '')) };
}

const counts = { inputs: 0, refusedByBoth: 0, singleGlobs: 0, globs: 0, idnUnderC: 0, localeSettings: 0 };
const differences: string[] = [];

/** One URL template, curl then the port, under one locale; a difference is recorded. */
async function compare(server: RawServer, template: string, locale: LocaleEnv, note = ''): Promise<void> {
  const url = template.split(PORT).join(String(server.port));
  const glob = curlGlob(url);
  if (glob.kind === 'one' && glob.url !== url) counts.singleGlobs += 1;
  const curl = await observe(server, () => runCurl(url, locale));
  const port = await observe(server, async () => {
    const reply = await send({ url, method: 'GET', timeoutMs: 3000, maxBodyBytes: 0, discardBody: true });
    return reply.kind === 'failed' ? reply.error : '';
  });
  counts.inputs += 1;
  if (JSON.stringify(curl) === JSON.stringify(port)) {
    if (curl.requests.length === 0) counts.refusedByBoth += 1;
    return;
  }
  // D29: the port refuses a glob with several expansions (curl fetches each), and says
  // less than curl about a broken one (same code 000). One expansion is compared above.
  if (glob.kind !== 'one' && port.requests.length === 0) {
    counts.globs += 1;
    return;
  }
  differences.push(`${JSON.stringify(url)} ${note}\n  curl: ${JSON.stringify(curl)}\n  port: ${JSON.stringify(port)}`);
}

/** Every template under `locale`, spread over the servers (the locale is one for the pass). */
async function pass(servers: RawServer[], list: readonly string[], locale: LocaleEnv, note: string): Promise<void> {
  useLocale(locale);
  let next = 0;
  await Promise.all(
    servers.map(async (server) => {
      while (next < list.length) await compare(server, list[next++] as string, locale, note);
    }),
  );
}

/** Non-ASCII bytes between `//` (or the start) and the path: a host libidn2 would see. */
const nonAsciiHost = (template: string): boolean => /[^\x00-\x7f]/.test(template.replace(/^[^:/]*:\/*/, '').split(/[/?#]/)[0] ?? '');

isolateResolver({
  dir: path.join(work, 'etc'),
  hosts: ['127.0.0.1 localhost', '::1 localhost', `127.0.0.1 ${HOSTS_FILE_NAMES.join(' ')}`],
});
const servers = await Promise.all(Array.from({ length: WORKERS }, () => startRawServer(() => RESPONSE, ['127.0.0.1', '::1'])));
try {
  await pass(servers, templates, { LC_ALL: 'C.UTF-8' }, '(LC_ALL=C.UTF-8)');
  const idn = templates.filter(nonAsciiHost);
  counts.idnUnderC = idn.length;
  await pass(servers, idn, { LC_ALL: 'C' }, '(LC_ALL=C)');

  // How glibc finds the locale: its name, every category, LOCPATH, an archive.
  const locpath = path.join(work, 'locpath');
  mkdirSync(locpath, { recursive: true });
  cpSync('/usr/lib/locale/C.utf8', path.join(locpath, 'xx_YY.UTF-8'), { recursive: true });
  const settings: LocaleEnv[] = [
    {},
    { LANG: 'C.UTF-8' },
    { LANG: 'C.utf8' },
    { LANG: 'C.UTF8' },
    { LC_CTYPE: 'C.UTF-8' },
    { LC_ALL: 'C', LANG: 'C.UTF-8' },
    { LC_ALL: '', LC_CTYPE: 'C.UTF-8' },
    { LANG: 'xx_YY.UTF-8' },
    { LANG: 'C.UTF-8', LC_MESSAGES: 'xx_YY.UTF-8' },
    { LANG: 'C.UTF-8', LC_NUMERIC: 'POSIX' },
    { LANG: 'C' },
    { LANG: 'POSIX', LC_CTYPE: 'C.UTF-8' },
    { LANG: 'C.ISO-8859-1' },
    { LANG: '/usr/lib/locale/C.utf8' },
    { LOCPATH: locpath, LANG: 'xx_YY.UTF-8' },
    { LOCPATH: locpath, LANG: 'C.UTF-8' },
    { LOCPATH: `/nonexistent:${locpath}`, LC_ALL: 'xx_YY.UTF-8' },
  ];
  const url = `http://bücher.localhost:${PORT}/locale`;
  for (const locale of settings) {
    useLocale(locale);
    await compare(servers[0] as RawServer, url, locale, JSON.stringify(locale));
  }
  // A locale archive only (the host's directories hidden), made by glibc's own localedef.
  const hidden = path.join(work, 'locale-dir');
  mkdirSync(hidden);
  runOrThrow('mount', ['--bind', hidden, '/usr/lib/locale']);
  const added = spawnSync('localedef', ['--add-to-archive', path.join(locpath, 'xx_YY.UTF-8')], { encoding: 'utf8' });
  const archived: LocaleEnv[] = [{ LANG: 'xx_YY.UTF-8' }, { LANG: 'xx_YY.utf8' }, { LANG: 'C.UTF-8' }, { LANG: 'xx_YY' }];
  for (const locale of added.status === 0 ? archived : []) {
    useLocale(locale);
    await compare(servers[0] as RawServer, url, locale, `archive ${JSON.stringify(locale)}`);
  }
  counts.localeSettings = settings.length + (added.status === 0 ? archived.length : 0);
} finally {
  await Promise.all(servers.map((server) => server.close()));
}
console.log(JSON.stringify({ scenario: 'curl-url', ...counts, differences }));
