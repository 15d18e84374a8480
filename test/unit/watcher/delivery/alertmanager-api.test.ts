import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertFor, alertsEndpoint, holdMs, postAlerts } from '../../../../src/watcher/delivery/alertmanager-api.ts';

test('alert: labels, summary, RFC 3339 times', () => {
  assert.equal(
    alertFor({
      peer: 'http://10.0.0.2:5988',
      reporter: '10.0.0.1',
      summary: 'FAIL: http://10.0.0.2:5988 [0/1] \u2014 http://x/(500)',
      startsAtMs: 0,
      endsAtMs: 60_000,
    }),
    {
      labels: { alertname: 'SentinellaPeerDown', peer: 'http://10.0.0.2:5988', reporter: '10.0.0.1' },
      annotations: { summary: 'FAIL: http://10.0.0.2:5988 [0/1] \u2014 http://x/(500)' },
      startsAt: '1970-01-01T00:00:00.000Z',
      endsAt: '1970-01-01T00:01:00.000Z',
      generatorURL: 'http://10.0.0.2:5988',
    },
  );
  assert.is(alertsEndpoint('http://am:9093/'), 'http://am:9093/api/v2/alerts');
  assert.is(alertsEndpoint('http://am:9093/prefix'), 'http://am:9093/prefix/api/v2/alerts');
  assert.is(holdMs(3, 5), 60_000);
  assert.is(holdMs(30, 10), 200_000);
  // An interval sleep never ends (D14: `inf`, `1e400`) still gives an endsAt that is a date.
  for (const interval of [Infinity, 1e300]) {
    const alert = alertFor({ peer: 'p', reporter: 'r', summary: 's', startsAtMs: 0, endsAtMs: Date.now() + holdMs(interval, 5) });
    assert.match(alert.endsAt, /^21\d\d-/);
  }
});

test('postAlerts: POST /api/v2/alerts to every URL, delivered when one answers 2xx', async () => {
  const got: Array<{ url: string; type: string; body: unknown }> = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ url: req.url ?? '', type: String(req.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(status).end(status === 200 ? '' : 'bad alert');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const alerts = [alertFor({ peer: 'http://p', reporter: 'r', summary: 's', startsAtMs: 0, endsAtMs: 1 })];
    // a closed port on loopback: refused
    let r = await postAlerts([`http://127.0.0.1:${port}`, 'http://127.0.0.1:1'], alerts, { timeoutMs: 2000 });
    assert.is(r.delivered, true);
    assert.is(r.failures.length, 1);
    assert.match(r.failures[0] ?? '', /^http:\/\/127\.0\.0\.1:1: curl: \(7\)/);
    assert.equal(got[0], { url: '/api/v2/alerts', type: 'application/json', body: JSON.parse(JSON.stringify(alerts)) });
    status = 400;
    r = await postAlerts([`http://127.0.0.1:${port}/`], alerts, { timeoutMs: 2000 });
    assert.equal(r, { delivered: false, failures: [`http://127.0.0.1:${port}/: HTTP 400 bad alert`] });
  } finally {
    server.close();
  }
});

test('postAlerts: a 2xx whose body trickles past the timeout is delivered; a 500 cut so is not (D5)', async () => {
  // Status line and headers at once, then the body one byte every 200 ms (timeout 500 ms).
  let status = 200;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = Buffer.from('{"status":"success, slowly"}');
      res.writeHead(status, { 'Content-Length': body.length });
      res.flushHeaders();
      let sent = 0;
      const timer = setInterval(() => res.write(body.subarray(sent, ++sent)), 200);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const alerts = [alertFor({ peer: 'http://p', reporter: 'r', summary: 's', startsAtMs: 0, endsAtMs: 1 })];
    assert.equal(await postAlerts([base], alerts, { timeoutMs: 500 }), { delivered: true, failures: [] });
    status = 202;
    assert.equal(await postAlerts([base], alerts, { timeoutMs: 500 }), { delivered: true, failures: [] });
    status = 500;
    const r = await postAlerts([base], alerts, { timeoutMs: 500 });
    assert.is(r.delivered, false);
    assert.match(
      r.failures[0] ?? '',
      /^http:\/\/127\.0\.0\.1:\d+: curl: \(28\) Operation timed out after \d+ milliseconds with \d+ out of 28 bytes received$/,
    );
  } finally {
    for (const timer of timers) clearInterval(timer);
    server.closeAllConnections();
    server.close();
  }
});

test.run();
