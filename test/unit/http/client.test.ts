// The shared outbound client (src/http/client.ts): the request curl sends (request line,
// userinfo auth, curl's headers), body read and discarded or cut at maxBodyBytes, elapsed
// time, curl's reading of odd responses. Servers are raw TCP on 127.0.0.1, so bytes are exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { send, useLocale, type Reply } from '../../../src/http/client.ts';
import { checkUrl } from '../../../src/status.ts';
import { startRawServer, type RawServer } from '../../support/raw-server.ts';

/** curl's error text of a failed reply, undefined for a complete one. */
const errorOf = (reply: Reply): string | undefined => (reply.kind === 'failed' ? reply.error : undefined);

/** Runs `use` with a raw server answering every request with `reply`, closed afterwards. */
async function withServer(reply: string, use: (server: RawServer) => Promise<void>): Promise<void> {
  const server = await startRawServer(() => Buffer.from(reply, 'latin1'));
  try {
    await use(server);
  } finally {
    await server.close();
  }
}

/** GET / from the server with a 3 s bound. */
const getRoot = (server: RawServer, options: { maxBodyBytes: number; discardBody?: boolean }): Promise<Reply> =>
  send({ url: `http://127.0.0.1:${server.port}/`, method: 'GET', timeoutMs: 3000, ...options });

test("the request curl sends: path as written, Basic auth from userinfo, curl's headers", async () => {
  await withServer('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n', async (server) => {
    const result = await send({
      url: `http://u:p%20w@127.0.0.1:${server.port}/a"b\\c/../d?x=\`y\`#f`,
      method: 'GET',
      timeoutMs: 3000,
      maxBodyBytes: 0,
    });
    assert.is(errorOf(result), undefined);
    assert.is(result.status, 204);
    const auth = Buffer.from('u:p w').toString('base64');
    assert.is(
      server.heads[0]?.toString('latin1'),
      `GET /d?x=\`y\` HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Basic ${auth}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`,
    );
  });
});

test('discardBody reads the whole body, keeps none, and times the transfer', async () => {
  const body = 'x'.repeat(100_000);
  await withServer(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, async (server) => {
    const result = await getRoot(server, { maxBodyBytes: 10, discardBody: true });
    assert.is(errorOf(result), undefined);
    assert.is(result.status, 200);
    assert.is(result.body.length, 0);
    assert.is(result.truncated, false);
    assert.ok(result.elapsedNs > 0n);
  });
});

test('without discardBody the body is cut at maxBodyBytes', async () => {
  await withServer('HTTP/1.1 200 OK\r\nContent-Length: 26\r\nConnection: close\r\n\r\nabcdefghijklmnopqrstuvwxyz', async (server) => {
    const result = await getRoot(server, { maxBodyBytes: 5 });
    assert.is(result.body.toString(), 'abcde');
    assert.is(result.truncated, true);
  });
});

test('a header byte Node refuses and a repeated Content-Length are read as curl reads them', async () => {
  await withServer('HTTP/1.1 200 OK\r\nX-Odd: a\x01b\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab', async (server) => {
    const result = await getRoot(server, { maxBodyBytes: 10 });
    assert.is(errorOf(result), undefined);
    assert.is(result.status, 200);
    assert.is(result.body.toString(), 'ab');
  });
});

test("a refused URL fails before connecting, with curl's line", async () => {
  const result = await send({ url: 'http://127.0.0.1/a b', method: 'GET', timeoutMs: 3000, maxBodyBytes: 0 });
  assert.is(errorOf(result), 'curl: (3) URL using bad/illegal format or missing URL');
  assert.is(
    errorOf(await send({ url: 'gopher://h/', method: 'GET', timeoutMs: 3000, maxBodyBytes: 0 })),
    'curl: (1) Protocol "gopher" not supported or disabled in libcurl',
  );
});

test('ftp: nothing sent, the greeting awaited until --max-time or until the server closes (D39: no further)', async () => {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (chunk) => received.push(chunk.toString('latin1')));
    socket.on('error', () => {});
    // The second connection is closed after 100 ms, as a probe's idle limit would.
    if (connections++ === 1) setTimeout(() => socket.end(), 100);
  });
  let connections = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    const timedOut = await send({ url: `ftp://127.0.0.1:${port}`, method: 'GET', timeoutMs: 300, maxBodyBytes: 10 });
    assert.is(timedOut.status, 0);
    assert.match(errorOf(timedOut) ?? '', /^curl: \(28\) Operation timed out after \d+ milliseconds with 0 bytes received$/);
    const closed = await send({ url: `FTP://127.0.0.1:${port}`, method: 'GET', timeoutMs: 3000, maxBodyBytes: 10 });
    assert.is(errorOf(closed), 'curl: (56) response reading failed (errno: 115)');
    assert.equal(received, []);
  } finally {
    server.close();
  }
});

test('localhost and *.localhost: 127.0.0.1 then ::1 without NSS; an IPv6 zone; IDN under a UTF-8 locale', async () => {
  const only6 = await startRawServer(() => Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'), ['::1']);
  const get = (url: string) => send({ url, method: 'GET', timeoutMs: 3000, maxBodyBytes: 0, discardBody: true });
  try {
    for (const host of ['foo.localhost', 'LOCALHOST', '[::1%25lo]']) {
      const reply = await get(`http://${host}:${only6.port}/x`);
      assert.is(reply.kind, 'complete', host);
      assert.is(reply.status, 204, host);
    }
    assert.match(only6.heads[0]?.toString('latin1') ?? '', /\r\nHost: foo\.localhost:\d+\r\n/);
    assert.match(only6.heads[2]?.toString('latin1') ?? '', /\r\nHost: \[::1\]:\d+\r\n/);
    assert.is(errorOf(await get(`http://bücher.localhost:${only6.port}/`)), 'curl: (3) URL using bad/illegal format or missing URL');
    useLocale({ LC_ALL: 'C.UTF-8', LOCPATH: '/nonexistent' });
    const idn = await get(`http://bücher.localhost:${only6.port}/`);
    // C.UTF-8 is installed on the machines the tests run on (Debian's libc-bin).
    assert.is(idn.kind, 'complete');
    assert.match(only6.heads[3]?.toString('latin1') ?? '', /\r\nHost: xn--bcher-kva\.localhost:\d+\r\n/);
  } finally {
    useLocale({});
    await only6.close();
  }
  assert.match(
    errorOf(await get(`http://foo.localhost:${only6.port}/`)) ?? '',
    /^curl: \(7\) Failed to connect to foo\.localhost port \d+ after \d+ ms: Couldn't connect to server$/,
  );
});

test('checkUrl: code and curl-style time on success, 000/0 on failure', async () => {
  const server = await startRawServer(() =>
    Buffer.from('HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc', 'latin1'),
  );
  try {
    const ok = await checkUrl(`http://127.0.0.1:${server.port}/a/../b`, 3000);
    assert.is(ok.code, '301');
    assert.match(ok.time, /^\d+\.\d{6}$/);
    assert.ok((server.heads[0]?.toString('latin1') ?? '').startsWith('GET /b HTTP/1.1\r\n'));
  } finally {
    await server.close();
  }
  assert.equal(await checkUrl(`http://127.0.0.1:${server.port}/`, 3000), { code: '000', time: '0' });
  assert.equal(await checkUrl('gopher://127.0.0.1/', 3000), { code: '000', time: '0' });
});

test.run();
