import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { composeDigest, networkDownLine, type DigestChange } from '../../../../src/watcher/delivery/digest.ts';
import { cut } from '../../../../src/watcher/message.ts';

const fail = (n: number, wasUp = true): DigestChange => ({ up: false, line: `FAIL: http://10.0.0.${n}:5988 [0/0]`, wasUp });
const ok = (n: number): DigestChange => ({ up: true, line: `OK  : http://10.0.0.${n}:5988 [1/1]`, wasUp: false });

test('digest: FAIL lines first, then OK lines, each in peer order, one message', () => {
  const messages = composeDigest([ok(1), fail(2), ok(3), fail(4)], undefined);
  assert.equal(messages, [
    {
      text: 'FAIL: http://10.0.0.2:5988 [0/0]\nFAIL: http://10.0.0.4:5988 [0/0]\nOK  : http://10.0.0.1:5988 [1/1]\nOK  : http://10.0.0.3:5988 [1/1]',
      peers: [1, 3, 0, 2],
    },
  ]);
});

test('digest: the "lost k of n" line only when more than half of at least 3 peers turned down', () => {
  assert.is(networkDownLine('10.0.0.9', [fail(1), fail(2)], 3), '10.0.0.9 lost 2 of 3 peers at once: its own network may be down');
  assert.is(networkDownLine('10.0.0.9', [fail(1), fail(2)], 4), undefined); // half is not more than half
  assert.is(networkDownLine('10.0.0.9', [fail(1), fail(2)], 2), undefined); // fewer than 3 peers
  assert.is(networkDownLine('10.0.0.9', [fail(1), fail(2, false), fail(3, false)], 3), undefined); // were not up before
  const [first] = composeDigest([fail(1), fail(2)], 'n lost 2 of 3 peers at once: its own network may be down');
  assert.ok(first?.text.startsWith('n lost 2 of 3 peers at once: its own network may be down\nFAIL: http://10.0.0.1'));
  assert.equal(first?.peers, [0, 1]);
});

test('digest: split on line boundaries within the limit (UTF-16 code units), every line once', () => {
  const changes = Array.from({ length: 300 }, (_, i) => ({
    up: i % 2 === 0,
    line: `${i % 2 ? 'FAIL' : 'OK  '}: http://10.0.${i >> 8}.${i & 255}:5988 [0/1] \u2014 ${'\u{1F4A5}'.repeat(5)}`,
    wasUp: false,
  }));
  const messages = composeDigest(changes, undefined);
  assert.ok(messages.length > 1);
  for (const m of messages) assert.ok(m.text.length <= 4096, `${m.text.length}`);
  const lines = messages.flatMap((m) => m.text.split('\n'));
  assert.is(lines.length, 300);
  assert.equal(new Set(messages.flatMap((m) => m.peers)).size, 300);
  // each message holds exactly the peers whose lines it carries
  for (const m of messages)
    assert.equal(
      m.text.split('\n'),
      m.peers.map((p) => changes[p]?.line),
    );
  // a message is full: the next line would not have fitted
  const [a, b] = messages;
  assert.ok((a?.text.length ?? 0) + 1 + (b?.text.split('\n')[0]?.length ?? 0) > 4096);
});

test('digest: a line longer than the limit is cut, never inside a surrogate pair', () => {
  const pieces = cut(`${'x'.repeat(4095)}\u{1F4A5}yz`, 4096);
  assert.equal(pieces, ['x'.repeat(4095), '\u{1F4A5}yz']);
  const messages = composeDigest([{ up: false, line: 'a'.repeat(5000), wasUp: true }], undefined);
  assert.equal(
    messages.map((m) => m.text.length),
    [4096, 904],
  );
  assert.equal(
    messages.map((m) => m.peers),
    [[], [0]],
  );
});

test.run();
