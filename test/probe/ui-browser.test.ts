// The status page (STATUS_PAGE=1, docs/behaviour.md §10) in a real browser: a probe on
// loopback with one passing and one failing check, Debian's chromium --headless loads /ui
// (no network beyond loopback, a fresh profile) and the test reads the DOM it rendered. Also
// a screenshot, checked to be a PNG; with SCREENSHOT_OUT=<path> it is kept there (how
// docs/status-page.png was made). Skipped where chromium is not installed (.ci/run installs it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killProcess, spawnBounded } from '../../scripts/lib/process.ts';
import { renderView } from '../../src/watcher/quorum/view.ts';
import { testIfInstalled } from '../support/installed.ts';
import { startProbe, type RunningProbe } from './support.ts';

const CHROMIUM = 'chromium';
/** One chromium run may take this long (its first start builds caches); then it is killed. */
const CHROMIUM_BOUND_MS = 90000;

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  readonly timedOut: boolean;
}

/**
 * Runs chromium headless on `url` in its own process group, bounded in time. Its helper
 * processes (zygote, renderer...) share that group: once it has ended, or at the bound, the
 * group is killed by the leader's PID, so nothing outlives the test.
 */
async function chromium(profile: string, extra: readonly string[], url: string): Promise<Run> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    ...extra,
    url,
  ];
  const { child, exit } = spawnBounded(CHROMIUM, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: profile },
    boundMs: CHROMIUM_BOUND_MS,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const { code, timedOut } = await exit;
  killProcess(child.pid, 'SIGKILL', true); // helpers (zygote, renderer) left in its group
  return { stdout, stderr, status: code, timedOut };
}

/** The rows of the checks table as chromium serialised them: class list, data-ok, cells' text. */
function checkRows(dom: string): { cls: string; dataOk: string; text: string }[] {
  return [...dom.matchAll(/<tr class="(check [a-z]+)" data-ok="(true|false)">(.*?)<\/tr>/gs)].map((m) => ({
    cls: m[1] as string,
    dataOk: m[2] as string,
    text: (m[3] as string)
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  }));
}

testIfInstalled([CHROMIUM], '.ci/run installs the chromium package')(
  'status page in chromium: the failing check shows as failing, the passing one as ok; a screenshot',
  async () => {
    const profile = mkdtempSync(path.join(tmpdir(), 'sentinella-chromium-'));
    // The passing check's target: 200 on loopback. The failing one: a port nothing listens on.
    const target: Server = createServer((_req, res) => res.end('ok\n'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as { port: number }).port;
    const passing = `http://127.0.0.1:${targetPort}/health`;
    const failing = 'http://127.0.0.1:1/down';
    let probe: RunningProbe | undefined;
    try {
      // A small mesh as its watcher's VIEW_FILE tells it (QUORUM, §10): 10.0.0.3 down, seen
      // down by the two other nodes whose views it fetched.
      const nowS = Date.now() / 1000;
      const viewFile = path.join(profile, 'view.json');
      writeFileSync(
        viewFile,
        renderView({
          node: '10.0.0.1',
          at: nowS,
          roundS: 3,
          peers: new Map([
            ['10.0.0.2', { up: true, state: 'up:2/2:200', since: nowS - 86_400, announced: true }],
            ['10.0.0.3', { up: false, state: 'down:0/0:000', since: nowS - 42, announced: true }],
            ['10.0.0.4', { up: true, state: 'up:1/1:200', since: nowS - 7_200, announced: true }],
          ]),
          heard: new Map([
            [
              '10.0.0.2',
              {
                at: nowS - 2,
                up: new Map([
                  ['10.0.0.3', false],
                  ['10.0.0.4', true],
                  ['10.0.0.1', true],
                ]),
              },
            ],
            [
              '10.0.0.4',
              {
                at: nowS - 3,
                up: new Map([
                  ['10.0.0.2', true],
                  ['10.0.0.3', false],
                  ['10.0.0.1', true],
                ]),
              },
            ],
          ]),
        }),
      );
      probe = await startProbe({ URLS: `${passing} ${failing}`, STATUS_PAGE: '1', TIMEOUT: '2', VIEW_FILE: viewFile });
      const url = `http://127.0.0.1:${probe.port}/ui`;

      const started = Date.now();
      const dump = await chromium(path.join(profile, 'dom'), ['--dump-dom'], url);
      console.log(`    chromium --dump-dom: ${Date.now() - started} ms, status ${dump.status}, ${dump.stdout.length} characters of DOM`);
      assert.not.ok(dump.timedOut, `chromium ended within ${CHROMIUM_BOUND_MS} ms`);
      assert.match(dump.stdout, /<title>FAILING · [^<]+ · sentinèlla<\/title>/);
      const rows = checkRows(dump.stdout);
      assert.is(rows.length, 2, dump.stdout.slice(0, 2000));
      const [ok, bad] = rows as [(typeof rows)[0], (typeof rows)[0]];
      assert.equal([ok.cls, ok.dataOk], ['check ok', 'true']);
      assert.match(ok.text, new RegExp(`^OK ${passing.replace(/[.?]/g, '\\$&')} 200 \\d+\\.\\d ms$`));
      assert.equal([bad.cls, bad.dataOk], ['check failing', 'false']);
      assert.is(bad.text, `FAIL ${failing} 000 -`);
      assert.match(dump.stdout, /<span class="verdict failing" id="verdict">failing<\/span>/);
      assert.match(dump.stdout, /Checks <span class="muted">1 of 2 ok<\/span>/);
      assert.match(dump.stdout, /<tr class="volume"><td class="url">\/<\/td>/);
      // The mesh: the down peer shows as down, in this node's column and the others'.
      assert.match(dump.stdout, /Mesh <span class="muted">2 of 3 peers up<\/span>/);
      assert.match(
        dump.stdout,
        /<tr class="peer failing" data-up="false"><td><span class="badge failing">DOWN<\/span><\/td><td class="url">10\.0\.0\.3<\/td><td>[^<]+<\/td><td class="seen failing">down<\/td><td class="seen failing">down<\/td><\/tr>/,
      );
      // The page is the probe's answer to one GET /ui: the checks it ran are logged as for /status.
      assert.match(probe.stderr(), new RegExp(`${failing} -> 000`));

      const png = path.join(profile, 'status-page.png');
      const shot = await chromium(path.join(profile, 'shot'), [`--screenshot=${png}`, '--window-size=1000,900', '--hide-scrollbars'], url);
      assert.not.ok(shot.timedOut, `chromium ended within ${CHROMIUM_BOUND_MS} ms`);
      const image = readFileSync(png);
      assert.equal([...image.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
      assert.equal([image.readUInt32BE(16), image.readUInt32BE(20)], [1000, 900], 'the window size');
      if (process.env.SCREENSHOT_OUT) copyFileSync(png, process.env.SCREENSHOT_OUT);
    } finally {
      await probe?.stop();
      await new Promise((resolve) => target.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    }
  },
);

test.run();
