// The SRV version's discovery and reading of /status bodies (docs/behaviour.md §12, D44, D45, D47).
// The resolver, getent and `ip` run in the golden cases (cases/watcher-srv.ts); here the pure
// steps, with a stand-in world.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluateStatusBody, INVALID_BODY_NOTE } from '../../../../src/watcher/evaluate.ts';
import {
  discoverSrv,
  interfaceAddresses,
  NO_RECORDS_WARNING,
  srvAnswerOfError,
  srvRoundLine,
  srvTarget,
  type SrvAnswer,
  type SrvIo,
} from '../../../../src/watcher/discovery/srv.ts';
import { statusBody } from '../../../../scripts/lib/peers.ts';

const W = '\\033[37m';
const R = '\\033[0m';
const NAME = '_sentinella._tcp.test';

/** A world answering `answer` for the SRV name and `hosts[target]` for each target. */
function world(
  answer: SrvAnswer,
  hosts: Record<string, string>,
  locals: readonly string[] = ['127.0.0.1', '::1'],
): SrvIo & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveSrv: async (name) => {
      asked.push(`SRV ${name}`);
      return answer;
    },
    firstAddress: async (target) => {
      asked.push(`getent ${target}`);
      return hosts[target];
    },
    localAddresses: () => locals,
  };
}

const record = (name: string, port: number, priority = 10, weight = 5) => ({ name, port, priority, weight });
const CONFIG = { peersSrv: NAME, peersScheme: 'http', self: null };

test('every record in the answer order, priority and weight ignored; each target resolved; label, state key, /status URL', async () => {
  const io = world(
    { records: [record('n2.test', 6001, 20), record('n1.test', 5988, 0, 0), record('n3.test', 6002)] },
    {
      'n1.test': '10.0.0.1',
      'n2.test': '10.0.0.2',
      'n3.test': '10.0.0.1',
    },
  );
  const found = await discoverSrv(CONFIG, io);
  assert.equal(found.warnings, []);
  assert.equal(found.peers, [
    { url: 'http://10.0.0.2:6001', requestUrl: 'http://10.0.0.2:6001/status', label: 'n2.test (10.0.0.2)', stateKey: 'n2.test' },
    { url: 'http://10.0.0.1:5988', requestUrl: 'http://10.0.0.1:5988/status', label: 'n1.test (10.0.0.1)', stateKey: 'n1.test' },
    { url: 'http://10.0.0.1:6002', requestUrl: 'http://10.0.0.1:6002/status', label: 'n3.test (10.0.0.1)', stateKey: 'n3.test' },
  ]);
  assert.equal(io.asked, [`SRV ${NAME}`, 'getent n2.test', 'getent n1.test', 'getent n3.test']);
});

test('a target without an address: warned in record order; local ones skipped silently (loopback counts)', async () => {
  const io = world(
    { records: [record('gone.test', 1), record('me.test', 2), record('lo.test', 3), record('n1.test', 4), record('', 5)] },
    {
      'me.test': '192.0.2.7',
      'lo.test': '::1',
      'n1.test': '10.0.0.1',
    },
  );
  const found = await discoverSrv(CONFIG, { ...io, localAddresses: () => ['127.0.0.1', '::1', '192.0.2.7'] });
  assert.equal(found.warnings, [`could not resolve ${W}gone.test${R}`, `could not resolve ${W}${R}`]);
  assert.equal(
    found.peers.map((p) => p.label),
    ['n1.test (10.0.0.1)'],
  );
});

test('SELF replaces the host addresses (127.0.0.1 is then a peer like any other)', async () => {
  const io = world({ records: [record('lo.test', 5988), record('n1.test', 5988)] }, { 'lo.test': '127.0.0.1', 'n1.test': '10.0.0.1' });
  const found = await discoverSrv({ ...CONFIG, self: ['10.0.0.1'] }, io);
  assert.equal(
    found.peers.map((p) => p.url),
    ['http://127.0.0.1:5988'],
  );
});

test('D45: an IPv6 address is bracketed in the URL, not in the label', async () => {
  const found = await discoverSrv(
    { ...CONFIG, peersScheme: 'https' },
    world({ records: [record('v6.test', 5988)] }, { 'v6.test': '2001:db8::1' }),
  );
  assert.equal(found.peers, [
    {
      url: 'https://[2001:db8::1]:5988',
      requestUrl: 'https://[2001:db8::1]:5988/status',
      label: 'v6.test (2001:db8::1)',
      stateKey: 'v6.test',
    },
  ]);
});

test('no record, a failed resolver, nobody left: the warn lines, the `no peers` one last', async () => {
  const none = `no peers resolved from ${W}${NAME}${R} (all targets local or DNS empty)`;
  assert.equal((await discoverSrv(CONFIG, world({ records: [] }, {}))).warnings, [NO_RECORDS_WARNING, none]);
  assert.equal((await discoverSrv(CONFIG, world({ failed: 'no answer within 3s' }, {}))).warnings, [
    `dig SRV ${W}${NAME}${R} failed: no answer within 3s`,
    none,
  ]);
  assert.equal((await discoverSrv(CONFIG, world({ records: [record('lo.test', 1)] }, { 'lo.test': '127.0.0.1' }))).warnings, [none]);
});

test('resolver errors: a DNS reply with an error code is an empty answer (dig prints nothing); no reply is a failure (D47)', () => {
  for (const code of ['ENODATA', 'ENOTFOUND', 'ESERVFAIL', 'EREFUSED', 'ENOTIMP', 'EFORMERR'])
    assert.equal(srvAnswerOfError(code), { records: [] }, code);
  assert.equal(srvAnswerOfError('ETIMEOUT'), { failed: 'no DNS server answered (ETIMEOUT)' });
  assert.equal(srvAnswerOfError('ECONNREFUSED'), { failed: 'no DNS server could be reached (ECONNREFUSED)' });
  assert.equal(srvAnswerOfError('EWHATEVER'), { failed: 'resolver error EWHATEVER' });
  assert.equal(srvAnswerOfError(undefined), { failed: 'resolver error without a code' });
});

test('texts: the round line, one trailing dot of a target removed', () => {
  assert.is(srvRoundLine(NAME, '3'), `polling peers via SRV ${W}${NAME}${R} every ${W}3${R}s`);
  assert.is(srvTarget('n1.test.'), 'n1.test');
  assert.is(srvTarget('n1.test'), 'n1.test');
  assert.is(srvTarget('.'), '');
});

test('interface addresses: loopback included (what `ip -o addr show` lists)', () => {
  const all = interfaceAddresses();
  assert.ok(all.includes('127.0.0.1'), all.join(' '));
});

// ---- /status bodies (§12, D44)

const reply = (body: string, code = '200') => ({ code, body: Buffer.from(body, 'latin1') });

test("D44: a /status body's own summary: failing checks are down, every one listed (D4)", () => {
  const body = statusBody([
    { url: 'http://a/', code: '200', ok: true },
    { url: 'http://b/', code: '404', ok: false },
    { url: 'http://127.0.0.1:1/x', code: '000', ok: false },
  ]);
  assert.equal(evaluateStatusBody(reply(body)), {
    up: false,
    good: '1',
    total: '3',
    failures: ['http://b/(404)', 'http://127.0.0.1:1/x(000)'],
    shellErrors: [],
  });
  assert.equal(evaluateStatusBody(reply(statusBody([]))), { up: true, good: '0', total: '0', failures: [], shellErrors: [] });
});

test('§12: counts that are not all digits are 0; a string of digits counts; D9: not JSON is down', () => {
  const counts = (summary: string) => {
    const ev = evaluateStatusBody(reply(`{"checks":[],"summary":${summary}}`));
    return `${ev.up ? 'up' : 'down'} ${ev.good}/${ev.total}`;
  };
  assert.is(counts('{"total":"x","ok":-1}'), 'up 0/0');
  assert.is(counts('{"total":"02","ok":2}'), 'up 2/02');
  assert.is(counts('{"total":1.5,"ok":0}'), 'up 0/0');
  assert.is(counts('{"total":3,"ok":2}'), 'down 2/3');
  assert.is(counts('{}'), 'up 0/0');
  assert.equal(evaluateStatusBody(reply('hello\n')).failures, [INVALID_BODY_NOTE]);
  assert.is(evaluateStatusBody(reply('hello\n')).up, false);
  // Past dash's intmax, `[ -eq ]` still says "Illegal number".
  assert.equal(evaluateStatusBody(reply('{"summary":{"total":"99999999999999999999","ok":1}}')).shellErrors, [
    '[: Illegal number: 99999999999999999999',
  ]);
});

test('§12: a reply that is not 200 is down, its failing checks listed; a summary body (`GET /`) is not read', () => {
  const down = evaluateStatusBody(reply(statusBody([{ url: 'http://b/', code: '404', ok: false }]), '500'));
  assert.equal([down.up, down.failures], [false, ['http://b/(404)']]);
  const summaryBody = '{"status":{"checks":[],"summary":{"total":1,"ok":0}},"disk":{"volumes":[]}}';
  assert.equal(evaluateStatusBody(reply(summaryBody)), { up: true, good: '0', total: '0', failures: [], shellErrors: [] });
});

test.run();
