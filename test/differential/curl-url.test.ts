// Differential test, reading a URL (docs/behaviour.md §9): the same URLs are given to the real curl
// (`curl -sS -m 3 -o /dev/null <url>`) and to the port's client, both against a loopback
// raw-socket server that records the exact request bytes. Compared: the request line, the
// Host and Authorization headers, and whether each refuses the URL (with the same error
// line). Inputs: the hand-written edge cases plus generated URLs from a fixed seed (spaces,
// non-ASCII, dot segments, fragments, queries, userinfo, globs, no scheme, odd ports, one to
// four slashes, IPv6 literals and zones, localhost names, names ending in a number, percent-
// encoded and IDN hosts, under a UTF-8 locale and under C). The comparison runs in namespaces
// of its own (curl-url-scenario.ts), so a name lookup never leaves them. A URL whose curl glob
// has one expansion is compared like any other; one with several expansions, or a broken
// pattern, is D29 (curl fetches each expansion, or prints its own glob error; the port
// refuses with code 000): those are counted apart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNamespaces, succeedsInNamespaces } from '../../scripts/lib/namespace.ts';
import { startRawServer } from '../support/raw-server.ts';
import { inTempDir } from '../support/temp.ts';
import { EDGE_URLS, randomUrls } from './random-curl.ts';
import { send } from '../../src/http/client.ts';

const SEED = 8309;
const GENERATED = 480;
const RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
const here = path.dirname(fileURLToPath(import.meta.url));

interface ScenarioResult {
  readonly inputs: number;
  readonly refusedByBoth: number;
  readonly singleGlobs: number;
  readonly globs: number;
  readonly idnUnderC: number;
  readonly localeSettings: number;
  readonly differences: string[];
}

const isolated = succeedsInNamespaces(['true']);
(isolated ? test : test.skip)(
  'curl-url: the port sends what curl 7.88 sends for every URL, and refuses what it refuses (own namespaces; skipped without unshare)',
  () =>
    inTempDir('curl-url', async (dir) => {
      const templates = [...EDGE_URLS, ...randomUrls(SEED, GENERATED)];
      const file = path.join(dir, 'templates.json');
      writeFileSync(file, JSON.stringify(templates));
      // A PID namespace too: the bound kills every process of the scenario.
      const ran = await runInNamespaces([process.execPath, '--import', 'tsx', path.join(here, 'curl-url-scenario.ts'), dir, file], {
        timeoutMs: 120_000,
        namespaces: { pid: true },
      });
      const stdout = ran.stdout.toString('utf8');
      const line = stdout.split('\n').find((l) => l.startsWith('{"scenario"'));
      assert.ok(ran.status === 0 && line, `scenario failed (status ${ran.status}):\n${ran.stderr}\n${stdout}`);
      const result = JSON.parse(line as string) as ScenarioResult;
      console.log(
        `curl-url: ${result.inputs} inputs, ${result.differences.length} differences (${templates.length} URLs under a UTF-8 locale, ${result.idnUnderC} with a non-ASCII host again under C, ${result.localeSettings} locale settings; ${result.refusedByBoth} refused by both, ${result.singleGlobs} globs with one expansion, ${result.globs} other globs: D29)`,
      );
      for (const d of result.differences.slice(0, 40)) console.log(d);
      assert.is(result.differences.length, 0);
    }),
);

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
