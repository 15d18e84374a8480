// Differential test, reading a URL (contract §9): the same URLs are given to the real curl
// (`curl -sS -m 3 -o /dev/null <url>`) and to the port's client, both against a loopback
// raw-socket server that records the exact request bytes. Compared: the request line, the
// Host and Authorization headers, and whether each refuses the URL (with the same error
// line). Inputs: the hand-written edge cases plus generated URLs from a fixed seed (spaces,
// non-ASCII, dot segments, fragments, queries, userinfo, globs, no scheme, odd ports, IPv6
// literals). A URL holding a valid curl glob is D29: curl fetches each expansion, the port
// refuses it; those are counted apart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { startRawServer, type RawServer } from '../support/raw-server.ts';
import { EDGE_URLS, PORT, randomUrls } from './random-curl.ts';
import { hasCurlGlob } from '../../src/curl.ts';
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
  let refusedByBoth = 0;
  try {
    let next = 0;
    await Promise.all(
      servers.map(async (server) => {
        while (next < templates.length) {
          const template = templates[next++] as string;
          const url = template.split(PORT).join(String(server.port));
          const curl = await observe(server, () => runCurl(url));
          const port = await observe(server, async () => (await send({ url, method: 'GET', timeoutMs: 3000, maxBodyBytes: 0, discardBody: true })).error ?? '');
          if (JSON.stringify(curl) === JSON.stringify(port)) {
            if (curl.requests.length === 0) refusedByBoth += 1;
            continue;
          }
          // D29: the port refuses every URL with a curl glob in it.
          if (hasCurlGlob(url) && port.requests.length === 0) {
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
  console.log(`curl-url: ${templates.length} inputs, ${differences.length} differences (${refusedByBoth} refused by both, ${globs} globs: D29)`);
  for (const d of differences.slice(0, 40)) console.log(d);
  assert.is(differences.length, 0);
});

test.run();
