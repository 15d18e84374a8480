// Differential test, reading a URL (docs/behaviour.md §9): the same URLs are given to the real curl
// (`curl -sS -m 3 -o /dev/null <url>`) and to the port's client, both against a loopback
// raw-socket server that records the exact request bytes. Compared: the request line, the
// Host and Authorization headers, and whether each refuses the URL (with the same error
// line). Inputs: the hand-written edge cases plus generated URLs from a fixed seed (spaces,
// non-ASCII, dot segments, fragments, queries, userinfo, globs, no scheme, odd ports, IPv6
// literals). A URL whose curl glob has one expansion is compared like any other; one with
// several expansions, or a broken pattern, is D29 (curl fetches each expansion, or prints its
// own glob error; the port refuses with code 000): those are counted apart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { startRawServer, type RawServer } from '../support/raw-server.ts';
import { EDGE_URLS, PORT, randomUrls } from './random-curl.ts';
import { curlGlob } from '../../src/curl.ts';
import { send } from '../../src/http/client.ts';

const SEED = 8309;
const GENERATED = 320;
const WORKERS = 6;
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');

interface Seen {
  /** Request line, Host and Authorization of each request, in order. */
  readonly requests: string[];
  /** What the client printed on stderr ('' when nothing). */
  readonly stderr: string;
}

const mask = (text: string): string => text.replace(/\d+ (ms|milliseconds)/g, 'N $1');

function essentials(head: Buffer): string {
  const lines = head.toString('latin1').split('\r\n');
  const keep = lines.filter((line, i) => i === 0 || /^(host|authorization):/i.test(line));
  return keep.join(' | ');
}

function runCurl(url: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '-m', '3', '-o', '/dev/null', url], { encoding: 'latin1', timeout: 20_000 }, (_error, _stdout, stderr) =>
      resolve(stderr),
    );
  });
}

async function observe(server: RawServer, run: () => Promise<string>): Promise<Seen> {
  const before = server.heads.length;
  const stderr = await run();
  return { requests: server.heads.slice(before).map(essentials), stderr: mask(stderr.replace(/\n$/, '')) };
}

test('curl-url: the port sends what curl 7.88 sends for every URL, and refuses what it refuses', async () => {
  const templates = [...EDGE_URLS, ...randomUrls(SEED, GENERATED)];
  const servers = await Promise.all(Array.from({ length: WORKERS }, () => startRawServer(() => RESPONSE, ['127.0.0.1', '::1'])));
  const differences: string[] = [];
  let globs = 0;
  let singleGlobs = 0;
  let refusedByBoth = 0;
  try {
    let next = 0;
    await Promise.all(
      servers.map(async (server) => {
        while (next < templates.length) {
          const template = templates[next++] as string;
          const url = template.split(PORT).join(String(server.port));
          const glob = curlGlob(url);
          if (glob.kind === 'one' && glob.url !== url) singleGlobs += 1;
          const curl = await observe(server, () => runCurl(url));
          const port = await observe(server, async () => {
            const reply = await send({ url, method: 'GET', timeoutMs: 3000, maxBodyBytes: 0, discardBody: true });
            return reply.kind === 'failed' ? reply.error : '';
          });
          if (JSON.stringify(curl) === JSON.stringify(port)) {
            if (curl.requests.length === 0) refusedByBoth += 1;
            continue;
          }
          // D29: the port refuses a glob with several expansions (curl fetches each), and says
          // less than curl about a broken one (same code 000). One expansion is compared above.
          if (glob.kind !== 'one' && port.requests.length === 0) {
            globs += 1;
            continue;
          }
          differences.push(`${JSON.stringify(url)}\n  curl: ${JSON.stringify(curl)}\n  port: ${JSON.stringify(port)}`);
        }
      }),
    );
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
  console.log(
    `curl-url: ${templates.length} inputs, ${differences.length} differences (${refusedByBoth} refused by both, ${singleGlobs} globs with one expansion, ${globs} other globs: D29)`,
  );
  for (const d of differences.slice(0, 40)) console.log(d);
  assert.is(differences.length, 0);
});

test("curl-url: the originals' three requests, byte for byte (router check, watcher peer with token, Telegram POST)", async () => {
  const server = await startRawServer(() => RESPONSE, ['127.0.0.1']);
  const bytes = (i: number): string => `${server.heads[i]?.toString('latin1')}${server.bodies[i]?.toString('latin1')}`;
  try {
    const url = `http://127.0.0.1:${server.port}`;
    const token = 'dXNlcjpwYXNz';
    const form = 'chat_id=-100&text=OK++%3A+http%3A%2F%2F127.0.0.2%3A5988+%5B0%2F0%5D';
    const runs: Array<[string[], () => Promise<unknown>]> = [
      [
        ['-sS', '-m', '3', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', `${url}/ok`],
        () => send({ url: `${url}/ok`, method: 'GET', timeoutMs: 3000, maxBodyBytes: 0, discardBody: true }),
      ],
      [
        ['-sS', '-m', '3', '-w', '%{http_code}', '-o', '/dev/null', '-H', `Authorization: Basic ${token}`, url],
        () => send({ url, method: 'GET', headers: [['Authorization', `Basic ${token}`]], timeoutMs: 3000, maxBodyBytes: 1024 }),
      ],
      [
        [
          '-sS',
          '-o',
          '/dev/null',
          '-m',
          '3',
          '-H',
          'Content-Type: application/x-www-form-urlencoded',
          '--data-binary',
          form,
          `${url}/bot123:abc/sendMessage`,
        ],
        () =>
          send({
            url: `${url}/bot123:abc/sendMessage`,
            method: 'POST',
            headers: [['Content-Type', 'application/x-www-form-urlencoded']],
            body: Buffer.from(form),
            timeoutMs: 3000,
            maxBodyBytes: 1024,
          }),
      ],
      // A PEERS_TOKEN holding control bytes and a line break: curl sends the bytes as they are.
      [
        ['-sS', '-m', '3', '-w', '%{http_code}', '-o', '/dev/null', '-H', `Authorization: Basic a\tb\x01c\nX-Next: 1`, url],
        () => send({ url, method: 'GET', headers: [['Authorization', 'Basic a\tb\x01c\nX-Next: 1']], timeoutMs: 3000, maxBodyBytes: 1024 }),
      ],
    ];
    for (const [args, port] of runs) {
      const before = server.heads.length;
      await new Promise((resolve) => execFile('curl', args, { timeout: 20_000 }, resolve));
      await port();
      assert.is(server.heads.length, before + 2, args.join(' '));
      assert.is(bytes(before + 1), bytes(before), args.join(' '));
    }
    console.log(`curl-url: ${runs.length} request forms, byte for byte`);
  } finally {
    await server.close();
  }
});

test.run();
