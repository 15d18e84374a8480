// The peer request on the wire and curl's error lines, against throwaway loopback servers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { sleep } from '../../../scripts/lib/process.ts';
import { mapLimited, MAX_BODY_BYTES, pollPeer } from '../../../src/watcher/poll.ts';

/** A server on 127.0.0.1 that hands each connection to `handle`; returns its URL and a closer. */
async function server(
  handle: (socket: net.Socket, head: string) => void,
): Promise<{ url: string; heads: string[]; close: () => Promise<void> }> {
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d: Buffer) => {
      const before = buf;
      buf += d.toString('latin1');
      if (!before.includes('\r\n\r\n') && buf.includes('\r\n\r\n')) {
        heads.push(buf);
        handle(s, buf);
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    heads,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

const ok = (body: string) =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;

test('GET / with exactly `Authorization: Basic <token>`, token as data (D12)', async () => {
  const s = await server((sock) => sock.end(ok('{}')));
  const token = `a'b"c$(touch /tmp/x)\`y\``;
  const a = await pollPeer(s.url, { token, timeoutMs: 2000 });
  assert.is(a.code, '200');
  assert.is(a.curlError, undefined);
  assert.is(a.body.toString(), '{}');
  const lines = (s.heads[0] ?? '').split('\r\n');
  assert.is(lines[0], 'GET / HTTP/1.1');
  assert.ok(lines.includes(`Authorization: Basic ${token}`), lines.join('|'));
  await pollPeer(s.url, { token: null, timeoutMs: 2000 });
  assert.not.ok((s.heads[1] ?? '').toLowerCase().includes('authorization'));
  await s.close();
});

test('refused: curl (7), code 000', async () => {
  const s = await server(() => {});
  const url = s.url;
  await s.close();
  const a = await pollPeer(url, { token: null, timeoutMs: 2000 });
  assert.is(a.code, '000');
  assert.match(a.curlError ?? '', /^curl: \(7\) Failed to connect to 127\.0\.0\.1 port \d+ after \d+ ms: Couldn't connect to server$/);
});

test('never answers: curl (28) with 0 bytes; stalls mid-body: N out of M bytes', async () => {
  const hang = await server(() => {});
  const a = await pollPeer(hang.url, { token: null, timeoutMs: 300 });
  assert.is(a.code, '000');
  assert.match(a.curlError ?? '', /^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received$/);
  await hang.close();
  const stall = await server((sock) => sock.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc'));
  const b = await pollPeer(stall.url, { token: null, timeoutMs: 300 });
  assert.is(b.code, '000');
  assert.match(b.curlError ?? '', /^curl: \(28\) Operation timed out after \d+ milliseconds with 3 out of 100 bytes received$/);
  await stall.close();
});

test("reset, empty reply, short body, not HTTP: curl's lines", async () => {
  const cases: Array<[(s: net.Socket) => void, string]> = [
    [(s) => s.resetAndDestroy(), 'curl: (56) Recv failure: Connection reset by peer'],
    [(s) => s.end(), 'curl: (52) Empty reply from server'],
    [(s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc'), 'curl: (18) transfer closed with 97 bytes remaining to read'],
    [(s) => s.end('garbage\r\n\r\n'), 'curl: (1) Received HTTP/0.9 when not allowed'],
  ];
  for (const [handle, line] of cases) {
    const s = await server(handle);
    const a = await pollPeer(s.url, { token: null, timeoutMs: 2000 });
    assert.is(a.code, '000', line);
    assert.is(a.curlError, line);
    await s.close();
  }
});

test('status codes kept as three digits; body cut at the limit (D20)', async () => {
  const s = await server((sock) => sock.end('HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\nNot found\n'));
  assert.is((await pollPeer(s.url, { token: null, timeoutMs: 2000 })).code, '404');
  await s.close();
  const big = Buffer.alloc(MAX_BODY_BYTES + 4096, 0x61);
  const h = await server((sock) => {
    sock.write(`HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`);
    sock.end(big);
  });
  const a = await pollPeer(h.url, { token: null, timeoutMs: 5000 });
  assert.is(a.code, '200');
  assert.is(a.truncated, true);
  assert.is(a.body.length, MAX_BODY_BYTES);
  await h.close();
});

test('mapLimited: order kept, parallelism bounded', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
    running += 1;
    peak = Math.max(peak, running);
    await sleep(n * 2);
    running -= 1;
    return n * 10;
  });
  assert.equal(out, [50, 10, 40, 20, 30]);
  assert.is(peak, 2);
});

test.run();
