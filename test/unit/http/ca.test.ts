// The watcher's https requests trust the host CA store as curl does: a CA that is only in the
// file SSL_CERT_FILE names (not in node's bundle, not in NODE_EXTRA_CA_CERTS) is trusted.
// Each test file runs in its own process, so the store is built here, from this SSL_CERT_FILE
// (passed as the entry points pass it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTestCa, type TestCa } from '../../../scripts/lib/tls.ts';
import { pollPeer } from '../../../src/watcher/poll.ts';
import { trustCaFiles } from '../../../src/http/ca.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sentinella-ca-'));
const trusted = makeTestCa(path.join(dir, 'trusted'), { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
const stranger = makeTestCa(path.join(dir, 'stranger'), { dnsNames: ['localhost'], ips: ['127.0.0.1'] });
trustCaFiles({ sslCertFile: trusted.caPath, nodeExtraCaCerts: null });

async function withServer(ca: TestCa, fn: (port: number) => Promise<void>): Promise<void> {
  const server = https.createServer({ key: readFileSync(ca.keyPath), cert: readFileSync(ca.certPath) }, (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"checks":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('a peer whose CA is only in SSL_CERT_FILE is trusted', async () => {
  // NODE_EXTRA_CA_CERTS (read by node at start-up) cannot hold this CA: it was just made.
  await withServer(trusted, async (port) => {
    const answer = await pollPeer(`https://127.0.0.1:${port}`, { token: null, timeoutMs: 3000 });
    assert.is(answer.curlError, undefined);
    assert.is(answer.code, '200');
    assert.is(answer.body.toString(), '{"checks":[]}');
  });
});

test("a peer whose CA is trusted nowhere fails with curl 7.88's line and its five lines of advice (§9)", async () => {
  await withServer(stranger, async (port) => {
    const answer = await pollPeer(`https://127.0.0.1:${port}`, { token: null, timeoutMs: 3000 });
    assert.is(answer.code, '000');
    // Recorded from curl 7.88.1 against a local TLS server with an untrusted certificate.
    assert.is(
      answer.curlError,
      'curl: (60) SSL certificate problem: unable to get local issuer certificate\n' +
        'More details here: https://curl.se/docs/sslcerts.html\n' +
        '\n' +
        'curl failed to verify the legitimacy of the server and therefore could not\n' +
        'establish a secure connection to it. To learn more about this situation and\n' +
        'how to fix it, please visit the web page mentioned above.',
    );
  });
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
