// D43 end to end, inside a private network + mount namespace (sandbox.ts runScenario): the
// port watcher (from src/) with peers 127.0.0.2 and .3 resolved from dns2, the fake Telegram
// on 127.0.0.1:443. After two rounds DNS changes:
//   servfail / timeout: the server answers SERVFAIL / nothing for OUTAGE_MS (timeout: resolver
//     5 s x 2 attempts, so getent is killed at TIMEOUT + 1 s, D21, and the hosts file has
//     nothing for the name); FAIL_AFTER_MS into it, peer .3 starts failing; then DNS answers again.
//   servfail-nogetent: servfail for a shorter outage, getent not on PATH (D21: Node's resolver).
//   nxdomain: the name is gone (NXDOMAIN), then known without addresses (NOERROR, no answer),
//     peer .3 failing all along; then DNS answers again.
// Prints one JSON line: when things happened (ms since the scenario started), what the watcher
// printed and sent.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDnsServer, type DnsRecords } from '../../scripts/lib/dns.ts';
import { isolateResolver } from '../../scripts/lib/isolate.ts';
import { startFakePeer, statusSummaryBody, type ScriptedPeerReply } from '../../scripts/lib/peers.ts';
import { startFakeTelegram } from '../../scripts/lib/telegram.ts';
import { ROOT } from './sandbox.ts';

const [scenario = 'dns-outage-servfail', work = '/tmp'] = process.argv.slice(2);
const [mode, variant] = scenario.replace(/^dns-outage-/, '').split('-') as [string, string | undefined];
const noGetent = variant === 'nogetent';
const OUTAGE_MS = noGetent ? 12_000 : 30_000;
const FAIL_AFTER_MS = noGetent ? 4_000 : 8_000;
const TIMEOUT_SEC = 2;
const INTERVAL_SEC = 1;
const RECORDS: DnsRecords = { 'peers.test': { A: ['127.0.0.2', '127.0.0.3'] } };
const ESC = /\x1b\[[0-9;]*m/g;

const t0 = Date.now();
const now = (): number => Date.now() - t0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, predicate: () => boolean, boundMs: number): Promise<void> {
  const until = Date.now() + boundMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const json = (ok: boolean): ScriptedPeerReply => ({
  kind: 'json',
  body: statusSummaryBody([{ url: 'http://svc.test/health', code: ok ? '200' : '500', ok }]),
});

async function main(): Promise<unknown> {
  isolateResolver({
    dir: path.join(work, 'etc'),
    hosts: ['127.0.0.1 localhost', '127.0.0.1 api.telegram.org'],
    resolvOptions: mode === 'timeout' ? 'timeout:5 attempts:2' : 'timeout:1 attempts:1',
  });
  const dns = await startDnsServer({ records: RECORDS });
  const peers = [
    await startFakePeer({ host: '127.0.0.2', port: 5988, answers: [json(true)] }),
    await startFakePeer({ host: '127.0.0.3', port: 5988, answers: [json(true)] }),
  ];
  const pollsMs: number[][] = [[], []];
  const telegramMs: number[] = [];
  const tls = path.join(work, 'tls');
  const telegram = await startFakeTelegram({
    key: fs.readFileSync(path.join(tls, 'key.pem')),
    cert: fs.readFileSync(path.join(tls, 'cert.pem')),
    onRequest: () => telegramMs.push(now()),
  });
  fs.mkdirSync(path.join(work, 'empty-bin'));
  const rounds: number[] = [];
  let stderr = '';
  const watcher = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/bin/watcher.ts')], {
    cwd: ROOT,
    env: {
      // An empty dir: no getent (node itself is spawned by path; SELF is set, no hostname).
      PATH: noGetent ? path.join(work, 'empty-bin') : process.env.PATH,
      NODE_EXTRA_CA_CERTS: path.join(tls, 'ca.pem'),
      STATE_DIR: path.join(work, 'state'),
      TG_TOKEN: '123:abc',
      TG_CHAT_ID: '-100',
      SELF: '127.0.0.1',
      PEERS_DNS: 'peers.test',
      TIMEOUT: String(TIMEOUT_SEC),
      POLLING_INTERVAL_SEC: String(INTERVAL_SEC),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let pending = '';
  watcher.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
    pending += d.toString('utf8');
    let i: number;
    while ((i = pending.indexOf('\n')) >= 0) {
      if (pending.slice(0, i).replace(ESC, '').startsWith('polling peers via ')) rounds.push(now());
      pending = pending.slice(i + 1);
    }
  });
  const exited = new Promise<string>((resolve) =>
    watcher.on('close', (code, signal) => resolve(signal ? `signal ${signal}` : `exit ${code}`)),
  );
  // The peers' connection times (a poll of the round in flight may land just after a change).
  const counted = peers.map((p) => p.requests.length);
  const tick = setInterval(() => {
    peers.forEach((p, i) => {
      while ((counted[i] as number) < p.requests.length) {
        pollsMs[i]?.push(now());
        counted[i] = (counted[i] as number) + 1;
      }
    });
  }, 20);

  try {
    // Two rounds with DNS answering: both peers up, both OKs sent.
    await waitFor('two OK alerts', () => telegram.requests.length >= 2, 20_000);
    await waitFor('round 3', () => rounds.length >= 3, 20_000);
    const outageStartMs = now();
    let failMs: number;
    let outageEndMs: number;
    if (mode === 'nxdomain') {
      dns.setRecords({});
      failMs = now();
      peers[1]?.setAnswers([], json(false));
      await sleep(OUTAGE_MS / 3);
      dns.setRecords({ 'peers.test': {} });
      await sleep(OUTAGE_MS / 3);
      outageEndMs = now();
    } else {
      dns.setMode(mode === 'timeout' ? 'timeout' : 'servfail');
      await sleep(FAIL_AFTER_MS);
      failMs = now();
      peers[1]?.setAnswers([], json(false));
      await sleep(OUTAGE_MS - FAIL_AFTER_MS);
      outageEndMs = now();
    }
    dns.setRecords(RECORDS);
    dns.setMode('answer');
    const roundsBefore = rounds.length;
    await waitFor('two rounds after the outage', () => rounds.length >= roundsBefore + 2, 30_000);
    watcher.kill('SIGTERM');
    const bound = setTimeout(() => watcher.kill('SIGKILL'), 5000);
    const stop = await exited;
    clearTimeout(bound);
    return {
      scenario,
      timeoutSec: TIMEOUT_SEC,
      intervalSec: INTERVAL_SEC,
      outageStartMs,
      failMs,
      outageEndMs,
      roundStartsMs: rounds,
      pollsMs,
      telegram: telegram.requests.map((r, i) => ({ text: r.text, atMs: telegramMs[i] ?? -1 })),
      stop,
      stderr: stderr.replace(ESC, ''),
    };
  } finally {
    clearInterval(tick);
    if (watcher.exitCode === null && watcher.signalCode === null) watcher.kill('SIGKILL');
    await Promise.all([dns.close(), telegram.close(), ...peers.map((p) => p.close())]);
  }
}

const result = await main();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
