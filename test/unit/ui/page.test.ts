// The status page renderer (src/ui/page.ts): pure, self-contained, every outside text escaped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeHtml, formatKiB, formatMs, renderStatusPage, type StatusPageModel } from '../../../src/ui/page.ts';
import { statusChecks } from '../../../src/status.ts';
import { dfRow } from '../../../src/disk.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

function model(extra: Partial<StatusPageModel> = {}): StatusPageModel {
  return {
    node: 'node-a',
    generatedAt: new Date(NOW).toISOString(),
    checks: statusChecks(
      ['https://ok.example/health', 'http://127.0.0.1:1/down', 'https://soon.example/'],
      [
        { code: '200', time: '0.012300', certExpiresMs: NOW + 90 * DAY },
        { code: '000', time: '0' },
        { code: '200', time: '0.004000', certExpiresMs: NOW + DAY },
      ],
      { days: 14, nowMs: NOW },
    ),
    volumes: [dfRow('/', 4096n, 1000000n, 250000n, 200000n), dfRow('/empty', 4096n, 0n, 0n, 0n)],
    certDays: 14,
    ...extra,
  };
}

/** The rows of class `check`: [class list, whole row]. */
function checkRows(html: string): [string, string][] {
  return [...html.matchAll(/<tr class="(check [a-z]+)"[^>]*>(.*?)<\/tr>/g)].map((m) => [m[1] as string, m[2] as string]);
}

test('escapeHtml: markup characters, and a byte that was not UTF-8 as U+FFFD', () => {
  assert.is(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  assert.is(escapeHtml('caf\udce9 é'), 'caf\ufffd é');
});

test('formatKiB and formatMs', () => {
  assert.equal([0n, 512n, 1024n, 1536n, 3565158n, 1073741824n, 200n * 1024n].map(formatKiB), [
    '0 KiB',
    '512 KiB',
    '1.0 MiB',
    '1.5 MiB',
    '3.4 GiB',
    '1.0 TiB',
    '200 MiB',
  ]);
  assert.equal([formatMs('0.012300'), formatMs('0'), formatMs('2.000000')], ['12.3 ms', '-', '2000.0 ms']);
});

test('each check a row: ok or failing, code, time, certificate days; the certificate failure says why', () => {
  const html = renderStatusPage(model());
  const rows = checkRows(html);
  assert.equal(
    rows.map(([cls]) => cls),
    ['check ok', 'check failing', 'check failing'],
  );
  assert.match(rows[0]?.[1] ?? '', /badge ok">OK<.*https:\/\/ok\.example\/health.*>200<.*>12\.3 ms<.*>90\.0 d</);
  assert.match(rows[1]?.[1] ?? '', /badge failing">FAIL<.*http:\/\/127\.0\.0\.1:1\/down.*>000<.*>-<.*class="num cert"><\/td>/);
  assert.match(rows[2]?.[1] ?? '', /certificate expires in 1\.0 days/);
  assert.match(html, /Checks <span class="muted">1 of 3 ok<\/span>/);
  assert.match(html, /<span class="verdict failing" id="verdict">failing<\/span>/);
  assert.match(html, /<title>FAILING · node-a · sentinèlla<\/title>/);
  assert.match(html, /<th class="num">certificate \(fails within 14 d\)<\/th><\/tr>/);
});

test('volumes: the /disk figures, a bar by use; a size-zero file system has none', () => {
  const html = renderStatusPage(model());
  assert.match(
    html,
    /<tr class="volume"><td class="url">\/<\/td><td class="num">3\.8 GiB<\/td><td class="num">2\.9 GiB<\/td><td class="num">781 MiB<\/td><td><span class="bar"><span style="width:79%"><\/span><\/span>79%<\/td><\/tr>/,
  );
  assert.match(html, /<tr class="volume"><td class="url">\/empty<\/td>.*<td>-<\/td><\/tr>/);
  const full = renderStatusPage(model({ volumes: [dfRow('/a', 1024n, 100n, 10n, 10n), dfRow('/b', 1024n, 100n, 3n, 3n)] }));
  assert.match(full, /<span class="high" style="width:90%"><\/span><\/span>90%/);
  assert.match(full, /<span class="full" style="width:97%"><\/span><\/span>97%/);
});

test('all ok: the verdict says so; no URLS and no volumes say so too', () => {
  const html = renderStatusPage(model({ checks: [], volumes: [], certDays: null }));
  assert.match(html, /<span class="verdict ok" id="verdict">all ok<\/span>/);
  assert.match(html, /No URLs to check/);
  assert.match(html, /No volumes to report/);
  // Without CERT_DAYS there is no certificate column.
  assert.match(html, /<th class="num">time<\/th><\/tr>/);
  assert.not.match(html, /certificate/);
  assert.match(html, /<td colspan="4" class="empty">No URLs/);
});

test('self-contained: no script, no external URL to load, a CSP that forbids them', () => {
  const html = renderStatusPage(model());
  assert.not.match(html, /<script/i);
  assert.not.match(html, /(src|href)="(?!data:)/i);
  assert.not.match(html, /url\(/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  assert.ok(html.startsWith('<!DOCTYPE html>\n'));
});

test('every outside text is escaped: URL, mount point, node name, peer', () => {
  const evil = '"><script>alert(1)</script>';
  const html = renderStatusPage({
    ...model(),
    node: evil,
    checks: statusChecks([`http://h/${evil}`], [{ code: '200', time: '0.1' }]),
    volumes: [dfRow(`/mnt/${evil}`, 1024n, 10n, 5n, 5n)],
    mesh: { peers: [{ name: evil, up: false, since: evil }] },
  });
  assert.not.match(html, /<script/i);
  assert.ok(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length - 1 >= 6, 'each text shown, escaped');
});

test('mesh part: absent, no section; present, a row per peer, up or down, since when', () => {
  assert.not.match(renderStatusPage(model()), /id="mesh"/);
  const html = renderStatusPage(
    model({
      checks: [],
      mesh: {
        peers: [
          { name: '10.0.0.2', up: true, since: '2026-03-01T10:00:00Z' },
          { name: '10.0.0.3', up: false },
        ],
      },
    }),
  );
  assert.match(html, /Mesh <span class="muted">1 of 2 peers up<\/span>/);
  assert.match(
    html,
    /<tr class="peer ok" data-up="true"><td><span class="badge ok">UP<\/span><\/td><td class="url">10\.0\.0\.2<\/td><td>2026-03-01T10:00:00Z<\/td><\/tr>/,
  );
  assert.match(
    html,
    /<tr class="peer failing" data-up="false"><td><span class="badge failing">DOWN<\/span><\/td><td class="url">10\.0\.0\.3<\/td><td><\/td><\/tr>/,
  );
  // A down peer makes the verdict failing even when every check is ok.
  assert.match(html, /verdict failing/);
});

test.run();
