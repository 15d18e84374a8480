import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  dropLocal,
  hostAddresses,
  hostsFileAddresses,
  localAddresses,
  lookupTrouble,
  parseGetentHosts,
  resolvePeers,
} from '../../../../src/watcher/discovery/resolve.ts';

test('getent output: first column, in getent order (no sorting)', () => {
  const out = '10.0.0.9        peers.test\n192.168.1.1     peers.test\n10.0.0.1        peers.test\n';
  assert.equal(parseGetentHosts(out), ['10.0.0.9', '192.168.1.1', '10.0.0.1']);
  assert.equal(parseGetentHosts(''), []);
});

test('hosts file fallback: file order, IPv6 only when present, comments and case', () => {
  const hosts = '127.0.0.1 localhost\n10.0.0.3 Peers.test # a\n#10.0.0.9 peers.test\n10.0.0.1 x PEERS.test\n';
  assert.equal(hostsFileAddresses('peers.test', hosts), ['10.0.0.3', '10.0.0.1']);
  assert.equal(hostsFileAddresses('peers.test', `${hosts}2001:db8::1 peers.test\n`), ['2001:db8::1']);
  assert.equal(hostsFileAddresses('none.test', hosts), []);
});

test('local addresses: exact word match, order and duplicates kept', () => {
  assert.equal(dropLocal(['10.0.0.1', '10.0.0.10', '10.0.0.1', '10.0.0.2'], ['10.0.0.1']), ['10.0.0.10', '10.0.0.2']);
  assert.equal(localAddresses(['a', 'b']), ['a', 'b']);
});

test('host addresses: no loopback, no IPv6 link-local', () => {
  for (const a of hostAddresses()) {
    assert.not.ok(a.startsWith('127.') || a === '::1' || /^fe80/i.test(a), a);
  }
});

// getent itself runs in the fault tests' sandbox (it may query DNS); here a stand-in command.
test('resolver child: output parsed; bounded in time and killed', async () => {
  const ok = await resolvePeers('10.0.0.2  b', 5000, ['printf', '%s\\n10.0.0.1 a\\n']);
  assert.equal(ok.addresses, ['10.0.0.2', '10.0.0.1']);
  const slow = await resolvePeers('30', 200, ['sleep']);
  assert.equal(slow.addresses, []);
  assert.ok(slow.problem?.includes('did not answer within 0.2s'));
  // (resolvePeers settles only once the child has exited: `sleep 30` was killed)
  const missing = await resolvePeers('x', 1000, ['/nonexistent/getent']);
  assert.equal(missing.addresses, []);
  assert.ok(missing.problem !== undefined);
  assert.is(missing.missing, true);
});

test('getaddrinfo failures (D43): ENOTFOUND is an answer (NXDOMAIN, no data); the rest are not', () => {
  assert.is(lookupTrouble('ENOTFOUND'), undefined);
  assert.is(lookupTrouble('EAI_AGAIN'), 'temporary failure in name resolution');
  assert.is(lookupTrouble('EAI_FAIL'), 'non-recoverable failure in name resolution');
  assert.is(lookupTrouble('EAI_MEMORY'), 'getaddrinfo EAI_MEMORY');
  assert.is(lookupTrouble(undefined), 'getaddrinfo failed');
});

test('the name goes to the command with its bytes (src/bytes.ts); a command not found is `missing`', async () => {
  // printf prints the name back as the address column: 0xE4 went out and came back as it is.
  const echoed = await resolvePeers('n\udce4\\c', 5000, ['printf', '%s\\n']);
  assert.equal(echoed.addresses, ['n\udce4\\c']);
  const missing = await resolvePeers('n\udce4', 5000, ['/nonexistent/getent']);
  assert.equal([missing.addresses, missing.missing], [[], true]);
});

test.run();
