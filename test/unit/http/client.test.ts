// The shared outbound client (src/http/client.ts): the request curl sends (request line,
// userinfo auth, curl's headers), body read and discarded or cut at maxBodyBytes, elapsed
// time, curl's reading of odd responses. Servers are raw TCP on 127.0.0.1, so bytes are exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { send, type Reply } from '../../../src/http/client.ts';
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
