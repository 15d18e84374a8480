// The shared outbound client (src/http/client.ts): the options the router's URL checks use
// (explicit raw target, userinfo auth, lenient parser, body read and discarded, elapsed time)
// and the watcher's bounded body. Servers are raw TCP on 127.0.0.1, so the bytes are exact.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import net from 'node:net';
import { exchange, urlTarget } from '../../src/http/client.ts';
import { checkUrl } from '../../src/status.ts';

/** A server answering every connection with `reply`; resolves the request heads it read. */
async function rawServer(reply: string): Promise<{ port: number; heads: string[]; close: () => Promise<void> }> {
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      heads.push(head);
      socket.end(reply);
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, heads, close };
}

test('urlTarget: WHATWG host, default port, path; other schemes get curl\'s line', () => {
  assert.equal(urlTarget(new URL('http://[::1]/a?b=1')), { https: false, hostname: '::1', port: 80, path: '/a?b=1' });
  assert.equal(urlTarget(new URL('https://example.org:8443')), { https: true, hostname: 'example.org', port: 8443, path: '/' });
  assert.is(urlTarget(new URL('ftp://example.org/')), 'curl: (1) Protocol "ftp" not supported or disabled in libcurl');
});

test('an explicit target is sent as written, with Basic auth from userinfo', async () => {
  const server = await rawServer('HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n');
  try {
    const result = await exchange({
      target: { https: false, hostname: '127.0.0.1', port: server.port, path: '/a"b\\c?x=`y`', auth: 'u:p w' },
      method: 'GET',
      headers: [['User-Agent', 'test'], ['Accept', '*/*']],
      timeoutMs: 3000,
      maxBodyBytes: 0,
    });
    assert.is(result.error, undefined);
    assert.is(result.status, 204);
    const head = server.heads[0] ?? '';
    assert.ok(head.startsWith('GET /a"b\\c?x=`y` HTTP/1.1\r\n'), head);
    assert.ok(head.includes(`\r\nAuthorization: Basic ${Buffer.from('u:p w').toString('base64')}\r\n`), head);
  } finally {
    await server.close();
  }
});

test('discardBody reads the whole body, keeps none, and times the exchange', async () => {
  const body = 'x'.repeat(100_000);
  const server = await rawServer(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
  try {
    const result = await exchange({
      url: new URL(`http://127.0.0.1:${server.port}/`),
      method: 'GET',
      headers: [],
      timeoutMs: 3000,
      maxBodyBytes: 10,
      discardBody: true,
    });
    assert.is(result.error, undefined);
    assert.is(result.status, 200);
    assert.is(result.body.length, 0);
    assert.is(result.truncated, false);
    assert.ok(result.elapsedNs > 0n);
  } finally {
    await server.close();
  }
});

test('without discardBody the body is cut at maxBodyBytes', async () => {
  const server = await rawServer('HTTP/1.1 200 OK\r\nContent-Length: 26\r\nConnection: close\r\n\r\nabcdefghijklmnopqrstuvwxyz');
  try {
    const result = await exchange({ url: new URL(`http://127.0.0.1:${server.port}/`), method: 'GET', headers: [], timeoutMs: 3000, maxBodyBytes: 5 });
    assert.is(result.body.toString(), 'abcde');
    assert.is(result.truncated, true);
  } finally {
    await server.close();
  }
});

test('insecureHTTPParser: a header the strict parser refuses is read only when asked', async () => {
  const server = await rawServer('HTTP/1.1 200 OK\r\nX-Odd: a\x01b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  try {
    const url = new URL(`http://127.0.0.1:${server.port}/`);
    const strict = await exchange({ url, method: 'GET', headers: [], timeoutMs: 3000, maxBodyBytes: 0 });
    assert.is(strict.status, 0);
    assert.type(strict.error, 'string');
    const lenient = await exchange({ url, method: 'GET', headers: [], timeoutMs: 3000, maxBodyBytes: 0, insecureHTTPParser: true });
    assert.is(lenient.error, undefined);
    assert.is(lenient.status, 200);
  } finally {
    await server.close();
  }
});

test('checkUrl: code and curl-style time on success, 000/0 on failure', async () => {
  const server = await rawServer('HTTP/1.1 301 Moved\r\nLocation: /x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc');
  try {
    const ok = await checkUrl(`http://127.0.0.1:${server.port}/a/../b`, 3000);
    assert.is(ok.code, '301');
    assert.match(ok.time, /^\d+\.\d{6}$/);
    assert.ok((server.heads[0] ?? '').startsWith('GET /b HTTP/1.1\r\n'));
    assert.ok((server.heads[0] ?? '').includes('\r\nUser-Agent: sentinella-probe\r\n'));
  } finally {
    await server.close();
  }
  assert.equal(await checkUrl(`http://127.0.0.1:${server.port}/`, 3000), { code: '000', time: '0' });
  assert.equal(await checkUrl('gopher://127.0.0.1/', 3000), { code: '000', time: '0' });
});

test.run();
