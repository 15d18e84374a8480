// Abuse that the probe must survive while it keeps answering everyone else: 1,000 idle
// connections, a client sending one byte a second, oversize request line and header block,
// a request in 1-byte TCP segments, binary garbage. Loopback only, bounded, stopped by PID.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep } from '../../scripts/lib/process.ts';
import { assertStillAnswers, isWellFormedResponse, NORMAL_ANSWER, NORMAL_REQUEST, startProbe, type RunningProbe } from './support.ts';

let probe: RunningProbe;

test.before(async () => {
  probe = await startProbe({ VOLUMES: '/proc' });
});

test.after(async () => {
  await probe?.stop();
});

test('1,000 idle connections: others still answered; the idle ones closed after 5 s, unanswered', async () => {
  const { client } = probe;
  try {
    const opened = await client.call({ op: 'openIdle', port: probe.port, count: 1000 });
    assert.is(opened.opened, 1000, 'all idle connections open');
    const answers = await Promise.all(Array.from({ length: 20 }, () => probe.exchange([NORMAL_REQUEST])));
    for (const answer of answers) assert.is(answer.bytes.toString('latin1'), NORMAL_ANSWER);
    // The idle limit: bounded wait, polled.
    let status = await client.call({ op: 'idleStatus' });
    for (let i = 0; i < 40 && status.closed !== 1000; i++) {
      await sleep(250);
      status = await client.call({ op: 'idleStatus' });
    }
    assert.is(status.closed, 1000, 'the probe closed every idle connection');
    assert.is(status.received, 0, 'without an answer');
  } finally {
    await client.call({ op: 'closeIdle' });
  }
  assert.ok(probe.alive());
});

test('one byte a second: the slow client does not hold up others, and is answered at the end', async () => {
  const slow = probe.exchange(['GET /status HTTP/1.1', '\r', '\n', '\r', '\n'], { gapMs: 1000, halfClose: false, boundMs: 20000 });
  const slowStart = Date.now();
  let fastAnswers = 0;
  while (Date.now() - slowStart < 3000) {
    const answer = await probe.exchange([NORMAL_REQUEST]);
    if (answer.bytes.toString('latin1') === NORMAL_ANSWER) fastAnswers += 1;
    else assert.unreachable('a normal request failed while the slow client was sending');
  }
  assert.ok(fastAnswers >= 3, `others answered meanwhile (${fastAnswers})`);
  const result = await slow;
  assert.is(result.bytes.toString('latin1'), NORMAL_ANSWER);
});

test('1-byte TCP segments give the same answer as one write', async () => {
  const result = await probe.exchange(NORMAL_REQUEST.split(''), { gapMs: 2, halfClose: false });
  assert.is(result.bytes.toString('latin1'), NORMAL_ANSWER);
});

test('D17: request line over 8 KiB -> 414; header block over 64 KiB -> 431', async () => {
  const longLine = await probe.exchange(['GET /' + 'a'.repeat(9000)], { halfClose: false });
  assert.match(longLine.bytes.toString('latin1'), /^HTTP\/1\.1 414 URI Too Long\r\n/);
  assert.ok(isWellFormedResponse(longLine.bytes));
  const header = `X-Pad: ${'p'.repeat(1024)}\r\n`;
  const bigHead = await probe.exchange(['GET / HTTP/1.1\r\n', header.repeat(70)], { halfClose: false });
  assert.match(bigHead.bytes.toString('latin1'), /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  assert.ok(isWellFormedResponse(bigHead.bytes));
  // an endless stream is cut off at the limit, not buffered
  const endless = await probe.exchange(
    Array.from({ length: 200 }, () => 'x'.repeat(1024)),
    { halfClose: false },
  );
  assert.match(endless.bytes.toString('latin1'), /^HTTP\/1\.1 414 /);
});

test('binary garbage: without LF closed unanswered at the idle limit; with LF a 404', async () => {
  const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256).filter((b) => b !== 10));
  const [silent, lined] = await Promise.all([
    probe.exchange([garbage], { halfClose: false, boundMs: 9000 }),
    probe.exchange([garbage, '\n\n'], { halfClose: false }),
  ]);
  assert.is(silent.outcome, 'closed');
  assert.is(silent.bytes.length, 0);
  assert.match(lined.bytes.toString('latin1'), /^HTTP\/1\.1 404 Not Found\r\n/);
});

test('a body after the head is never read and does not disturb the answer', async () => {
  const result = await probe.exchange([NORMAL_REQUEST, 'x'.repeat(200_000)], { halfClose: false });
  assert.is(result.bytes.toString('latin1'), NORMAL_ANSWER);
});

test('alive and quiet after all of it', () => assertStillAnswers(probe));

test.run();
