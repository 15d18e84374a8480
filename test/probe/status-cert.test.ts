// CERT_DAYS (docs/behaviour.md §10) end to end: a real probe checks https servers on loopback
// whose certificates (made with openssl, scripts/lib/tls.ts) expire in 1 day and in 90 days,
// and one whose CA it does not trust.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestCa, type TestCa } from '../../scripts/lib/tls.ts';
import { startProbe } from './support.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sentinella-cert-days-'));
const servers: Server[] = [];
test.after(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

/** An https server on a free loopback port answering 200 with the certificate of `ca`. */
async function serve(ca: TestCa): Promise<number> {
  const server = createServer({ key: readFileSync(ca.keyPath), cert: readFileSync(ca.certPath) }, (_req, res) => res.end('ok\n'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

interface Check {
  url: string;
  code: number;
  ok: boolean;
  cert_days?: number;
}

async function status(
  env: Record<string, string>,
): Promise<{ body: string; parsed: { checks: Check[]; summary: { total: number; ok: number } } }> {
  const probe = await startProbe(env);
  try {
    const reply = (await probe.exchange(['GET /status HTTP/1.1\r\n\r\n'], { boundMs: 15000 })).bytes.toString('utf8');
    const body = reply.slice(reply.indexOf('\r\n\r\n') + 4);
    return { body, parsed: JSON.parse(body) };
  } finally {
    await probe.stop();
  }
}

test('CERT_DAYS=30: the 1-day certificate fails its check, the 90-day one passes, both carry cert_days; unset: no cert_days', async () => {
  const soon = makeTestCa(path.join(dir, 'soon'), { days: 1 });
  const later = makeTestCa(path.join(dir, 'later'), { days: 90 });
  const untrusted = makeTestCa(path.join(dir, 'untrusted'), { days: 90 });
  const bundle = path.join(dir, 'trusted.pem');
  writeFileSync(bundle, readFileSync(soon.caPath, 'utf8') + readFileSync(later.caPath, 'utf8'));
  const urls = [
    `https://127.0.0.1:${await serve(soon)}/`,
    `https://127.0.0.1:${await serve(later)}/`,
    `https://127.0.0.1:${await serve(untrusted)}/`,
  ];
  const env = { URLS: urls.join(' '), NODE_EXTRA_CA_CERTS: bundle, TIMEOUT: '3' };

  const set = await status({ ...env, CERT_DAYS: '30' });
  const [a, b, c] = set.parsed.checks as [Check, Check, Check];
  console.log(`    CERT_DAYS=30: ${set.body}`);
  assert.equal([a.url, a.code, a.ok], [urls[0], 200, false]);
  assert.ok(a.cert_days === 0.9 || a.cert_days === 1, `1-day certificate: cert_days ${a.cert_days}`);
  assert.equal([b.url, b.code, b.ok], [urls[1], 200, true]);
  assert.ok(b.cert_days === 89.9 || b.cert_days === 90, `90-day certificate: cert_days ${b.cert_days}`);
  // An untrusted chain fails the handshake as curl's check does: code 0, and no certificate was accepted.
  assert.equal(c, { url: urls[2], code: 0, time_s: 0, ok: false } as unknown as Check);
  assert.equal(set.parsed.summary, { total: 3, ok: 1 });
  assert.match(set.body, /"ok":false,"cert_days":(0\.9|1\.0)\},/);

  // Within 0 days: nothing fails for its certificate, the days are still reported.
  const zero = await status({ ...env, CERT_DAYS: '0' });
  assert.equal(
    zero.parsed.checks.map((check) => [check.ok, typeof check.cert_days]),
    [
      [true, 'number'],
      [true, 'number'],
      [false, 'undefined'],
    ],
  );

  const unset = await status(env);
  assert.not.match(unset.body, /cert_days/);
  assert.equal(
    unset.parsed.checks.map((check) => Object.keys(check)),
    [0, 1, 2].map(() => ['url', 'code', 'time_s', 'ok']),
  );
  assert.equal(unset.parsed.summary, { total: 3, ok: 2 });
});

test.run();
