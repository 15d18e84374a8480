// Inside a private network + mount namespace (sandbox.ts runScenario): two real Alertmanagers
// (Debian's prometheus-alertmanager) in an HA cluster on loopback, eight port watchers with
// ALERTMANAGER_URLS naming both and METRICS_FILE set, fake probes on 127.0.1.1-8 (one
// server answers for every address), and the fake Telegram as the Alertmanagers' telegram
// receiver (packaging/alertmanager/alertmanager.yml with its api_url pointed at it and short
// timers). Phases: all up; node 3's checks fail; Alertmanager 1 is killed (SIGKILL) once the
// FAIL message is out; node 3 recovers. Prints one JSON line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { routerResponse, statusSummaryBody } from '../../scripts/lib/peers.ts';
import { exited, killProcess, sleep, stopProcess, waitFor } from '../../scripts/lib/process.ts';
import { startFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

const [scenario = 'alertmanager-ha', work = '/tmp'] = process.argv.slice(2);
const NODES = Array.from({ length: 8 }, (_, i) => `127.0.1.${i + 1}`);
const FAILING = NODES[2] as string;
const AM = [
  { web: 9093, cluster: 9095 },
  { web: 9094, cluster: 9096 },
];
const TG_PORT = 8443;
const GROUP_WAIT_S = 5;
const GROUP_INTERVAL_S = 8;
const CHECK = 'http://svc.test/health';

/** The packaged configuration, pointed at the fake Telegram (test CA) with short timers. */
export function testConfig(packaged: string, caPath: string): string {
  const edits: Array<[RegExp, string]> = [
    [
      /api_url: https:\/\/api\.telegram\.org\n/,
      `api_url: https://127.0.0.1:${TG_PORT}\n        http_config:\n          tls_config:\n            ca_file: ${caPath}\n`,
    ],
    [/group_wait: \S+/, `group_wait: ${GROUP_WAIT_S}s`],
    [/group_interval: \S+/, `group_interval: ${GROUP_INTERVAL_S}s`],
    [/bot_token: '[^']*'/, "bot_token: '123:abc'"],
    [/chat_id: -?\d+/, 'chat_id: -100'],
  ];
  let text = packaged;
  for (const [re, value] of edits) {
    if (!re.test(text)) throw new Error(`alertmanager.yml: ${re} not found`);
    text = text.replace(re, value);
  }
  return text;
}

async function main(): Promise<void> {
  const tls = path.join(work, 'tls');
  isolateResolver({ dir: path.join(work, 'etc'), hosts: ['127.0.0.1 localhost', ...NODES.map((a) => `${a} peers.test`)] });

  // Probes: node 3's one check fails while `failing` holds it.
  const failing = new Set<string>();
  const peers = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const bad = failing.has(s.localAddress?.replace(/^::ffff:/, '') ?? '');
      const body = statusSummaryBody([{ url: CHECK, code: bad ? '500' : '200', ok: !bad }]);
      s.end(routerResponse('200 OK', 'application/json', body));
    });
  });
  await new Promise<void>((r) => peers.listen(5988, '0.0.0.0', r));

  // Telegram: Alertmanager's client reads the sent Message back (a bare result crashes 0.25).
  const message = {
    message_id: 1,
    from: { id: 1, is_bot: true, first_name: 'bot' },
    chat: { id: -100, type: 'group' },
    date: 1764633600,
    text: 'x',
  };
  const messages: Array<{ text: string; atMs: number }> = [];
  const telegram = await startFakeTelegram({
    host: '127.0.0.1',
    port: TG_PORT,
    key: fs.readFileSync(path.join(tls, 'key.pem')),
    cert: fs.readFileSync(path.join(tls, 'cert.pem')),
    then: { kind: 'raw', status: 200, body: JSON.stringify({ ok: true, result: message }) },
    onRequest: (req) => {
      const text = req.contentType.includes('json')
        ? String((JSON.parse(req.body) as { text?: unknown }).text)
        : (new URLSearchParams(req.body).get('text') ?? '');
      messages.push({ text, atMs: Date.now() });
    },
  });

  const config = path.join(work, 'alertmanager.yml');
  fs.writeFileSync(
    config,
    testConfig(fs.readFileSync(path.join(ROOT, 'packaging/alertmanager/alertmanager.yml'), 'utf8'), path.join(tls, 'ca.pem')),
  );
  const amLogs = ['', ''];
  const ams = AM.map((am, i) => {
    const storage = fs.mkdtempSync(path.join(work, `am${i + 1}-`));
    const other = AM[1 - i] as (typeof AM)[number];
    const child = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${config}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${am.web}`,
        `--cluster.listen-address=127.0.0.1:${am.cluster}`,
        `--cluster.peer=127.0.0.1:${other.cluster}`,
        '--cluster.peer-timeout=2s',
        '--cluster.gossip-interval=100ms',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (d: Buffer) => (amLogs[i] += d.toString()));
    return child;
  });
  const ready = async (port: number): Promise<boolean> => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok;
    } catch {
      return false;
    }
  };
  await waitFor('both Alertmanagers ready', async () => (await ready(AM[0]!.web)) && (await ready(AM[1]!.web)), 30_000, 200);

  const stateDirs = NODES.map((_, i) => path.join(work, `state-${i + 1}`));
  const metricsFiles = NODES.map((_, i) => path.join(work, `metrics-${i + 1}`, 'sentinella.prom'));
  const watcherLogs = NODES.map(() => '');
  const watchers = NODES.map((self, i) => {
    fs.mkdirSync(path.dirname(metricsFiles[i] as string), { recursive: true });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/watcher.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: work,
        NO_COLOR: '1',
        PEERS_DNS: 'peers.test',
        SELF: self,
        ALERTMANAGER_URLS: AM.map((am) => `http://127.0.0.1:${am.web}`).join(' '),
        METRICS_FILE: metricsFiles[i],
        TIMEOUT: '5', // the default; the probes answer at once, but a loaded machine must not time them out
        POLLING_INTERVAL_SEC: '1',
        STATE_DIR: stateDirs[i],
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (watcherLogs[i] += d.toString()));
    return child;
  });
  const states = (dir: string): string[] => {
    try {
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.state'))
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    } catch {
      return [];
    }
  };
  const allUp = (): boolean => stateDirs.every((d) => states(d).filter((s) => s === 'up:1/1:200').length === NODES.length - 1);
  await waitFor('every watcher to see its 7 peers up', allUp, 60_000, 200);
  const beforeFailure = messages.length;

  // Node 3 fails.
  const failAt = Date.now();
  failing.add(FAILING);
  const names = (m: { text: string }): boolean => m.text.includes(`http://${FAILING}:5988`);
  await waitFor('the FAIL message', () => messages.some(names), 40_000, 200);
  const firstFail = messages.find(names) as { atMs: number };
  const metricsDuringFailure = fs.readFileSync(metricsFiles[0] as string, 'utf8');

  // Alertmanager 1 dies (gossip has carried the notification log to Alertmanager 2).
  await sleep(2000);
  const killedAt = Date.now();
  killProcess(ams[0]!.pid, 'SIGKILL');
  await exited(ams[0]!);

  // Recover just after a group_interval tick (the first flush was just before the FAIL
  // arrived), so every watcher's resolution is in before the next flush: one message.
  let recoverAt = firstFail.atMs + (GROUP_INTERVAL_S + 1) * 1000;
  while (recoverAt < Date.now()) recoverAt += GROUP_INTERVAL_S * 1000;
  await sleep(recoverAt - Date.now());
  failing.delete(FAILING);
  const recoveredAt = Date.now();
  await waitFor('the resolved message', () => messages.some((m) => m.atMs >= recoveredAt && names(m)), 40_000, 200);
  await sleep((GROUP_INTERVAL_S + 2) * 1000); // room for a duplicate to show up
  const endStates = stateDirs.map((d, i) => ({ node: NODES[i], states: states(d) }));

  // promtool on a metrics file written by a real round.
  const metricsText = fs.readFileSync(metricsFiles[0] as string, 'utf8');
  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metricsDuringFailure, encoding: 'utf8' });

  await Promise.all([...watchers, ams[1]!].map((child) => stopProcess(child, { graceMs: 5000 })));
  await telegram.close();
  peers.close();

  process.stdout.write(
    `${JSON.stringify({
      scenario,
      beforeFailure,
      messages: messages.map((m) => ({ text: m.text, sinceFailMs: m.atMs - failAt })),
      firstFailMs: firstFail.atMs - failAt,
      killedSinceFailMs: killedAt - failAt,
      recoveredSinceFailMs: recoveredAt - failAt,
      endStates,
      metricsDuringFailure,
      metricsText,
      promtool: { status: promtool.status, output: `${promtool.stdout}${promtool.stderr}` },
      watcher1Log: watcherLogs[0],
      amLogs,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
