import { test } from 'uvu';
import * as assert from 'uvu/assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertFor, alertsEndpoint, holdMs, postAlerts, type AlertmanagerAlert } from '../../../src/watcher/alertmanager.ts';
import { AlertmanagerDelivery, type RoundPeer } from '../../../src/watcher/delivery.ts';
import { readWatcherEnv, missingVariable, EnvError } from '../../../src/env.ts';

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
});

function peer(n: number, up: boolean, last: string, changed: boolean): RoundPeer {
  const url = `http://10.0.0.${n}:5988`;
  return {
    url,
    up,
    message: `${up ? 'OK  ' : 'FAIL'}: ${url} [0/0]`,
    state: `${up ? 'up' : 'down'}:0/0:000`,
    last,
    changed,
    lastWrittenMs: () => 1000,
  };
}

test('alertmanager delivery: every down peer every round, resolved once, states only when taken', async () => {
  const logged: string[] = [];
  await alertmanagerRounds((bytes) => logged.push(String(bytes).replace(/\x1b\[[0-9;]*m/g, '')));
  assert.equal(logged, [
    'notify message: FAIL: http://10.0.0.1:5988 [0/0]\n',
    'alertmanager: http://a: x\n',
    'alertmanager: http://b: y\n',
    'notify failed: no Alertmanager took the alert, retried next round: OK  : http://10.0.0.1:5988 [0/0]\n',
    'notify message: OK  : http://10.0.0.1:5988 [0/0]\n',
  ]);
});

async function alertmanagerRounds(stderr: (bytes: Buffer | string) => void): Promise<void> {
  let now = 10_000;
  const posts: AlertmanagerAlert[][] = [];
  let accept = true;
  const d = new AlertmanagerDelivery({
    urls: ['http://a', 'http://b'],
    reporter: 'me',
    holdMs: 60_000,
    postOptions: { timeoutMs: 1000 },
    stderr,
    now: () => now,
    post: async (_urls, alerts) => (posts.push([...alerts]), { delivered: accept, failures: accept ? [] : ['http://a: x', 'http://b: y'] }),
  });
  // round 1: peer 1 turns down, peer 2 is new and up (no alert), peer 3 was down before a restart
  let r = await d.deliver([peer(1, false, 'up:0/0:200', true), peer(2, true, '', true), peer(3, false, 'down:0/0:000', false)]);
  assert.equal(r, { written: [0, 1], notifications: ['delivered'] });
  assert.equal(
    posts[0]?.map((a) => [a.labels.peer, a.startsAt, a.endsAt]),
    [
      ['http://10.0.0.1:5988', new Date(10_000).toISOString(), new Date(70_000).toISOString()],
      ['http://10.0.0.3:5988', new Date(1000).toISOString(), new Date(70_000).toISOString()], // down since its state file
    ],
  );
  // round 2: nothing changed: posted again, startsAt kept, endsAt moved
  now = 20_000;
  r = await d.deliver([peer(1, false, 'down:0/0:000', false), peer(2, true, 'up:0/0:000', false), peer(3, false, 'down:0/0:000', false)]);
  assert.equal(r, { written: [], notifications: ['delivered'] });
  assert.equal(
    posts[1]?.map((a) => [a.startsAt, a.endsAt]),
    [
      [new Date(10_000).toISOString(), new Date(80_000).toISOString()],
      [new Date(1000).toISOString(), new Date(80_000).toISOString()],
    ],
  );
  // round 3: peer 1 recovers, no Alertmanager takes it: state unwritten, retried
  now = 30_000;
  accept = false;
  r = await d.deliver([peer(1, true, 'down:0/0:000', true), peer(2, true, 'up:0/0:000', false), peer(3, false, 'down:0/0:000', false)]);
  assert.equal(r, { written: [], notifications: ['retried'] });
  // round 4: taken: resolved with endsAt = now, startsAt the first time seen down
  now = 40_000;
  accept = true;
  r = await d.deliver([peer(1, true, 'down:0/0:000', true), peer(2, true, 'up:0/0:000', false), peer(3, false, 'down:0/0:000', false)]);
  assert.equal(r, { written: [0], notifications: ['delivered'] });
  assert.equal(
    posts[3]?.[0],
    alertFor({
      peer: 'http://10.0.0.1:5988',
      reporter: 'me',
      summary: 'OK  : http://10.0.0.1:5988 [0/0]',
      startsAtMs: 10_000,
      endsAtMs: 40_000,
    }),
  );
  // round 5: peer 1 up and written: nothing more about it
  now = 50_000;
  await d.deliver([peer(1, true, 'up:0/0:000', false), peer(3, false, 'down:0/0:000', false)]);
  assert.equal(
    posts[4]?.map((a) => a.labels.peer),
    ['http://10.0.0.3:5988'],
  );
  // nothing down, nothing changed: no post at all
  const quiet = posts.length;
  await d.deliver([peer(1, true, 'up:0/0:000', false)]);
  assert.is(posts.length, quiet);
}

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

test('env: ALERTMANAGER_URLS replaces TG_TOKEN/TG_CHAT_ID; bad values named', () => {
  assert.is(missingVariable({ PEERS_DNS: 'x' }, 'watcher'), 'TG_TOKEN');
  assert.is(missingVariable({ PEERS_DNS: 'x', ALERTMANAGER_URLS: 'http://a:9093' }, 'watcher'), null);
  assert.is(missingVariable({ ALERTMANAGER_URLS: 'http://a:9093' }, 'watcher'), 'PEERS_DNS');
  const c = readWatcherEnv({ PEERS_DNS: 'x', ALERTMANAGER_URLS: ' http://a:9093  https://b/ ', METRICS_FILE: '/m.prom', DIGEST: '1' });
  assert.equal([c.alertmanagerUrls, c.metricsFile, c.digest, c.tgToken], [['http://a:9093', 'https://b/'], '/m.prom', true, '']);
  const none = readWatcherEnv({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: 'c', DIGEST: '' });
  assert.equal([none.alertmanagerUrls, none.metricsFile, none.digest], [[], null, false]);
  for (const [name, value, text] of [
    ['DIGEST', 'yes', 'DIGEST must be 0 or 1, got "yes"'],
    ['ALERTMANAGER_URLS', 'am:9093', 'ALERTMANAGER_URLS must be space-separated http(s) base URLs, got "am:9093"'],
  ] as const) {
    try {
      readWatcherEnv({ PEERS_DNS: 'x', TG_TOKEN: 't', TG_CHAT_ID: 'c', [name]: value });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, EnvError);
      assert.is((err as Error).message, text);
    }
  }
});

test.run();
