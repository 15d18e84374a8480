// Differential test: protocols whose server speaks first (docs/behaviour.md §6 a, §9; PEERS_SCHEME=ftp
// and the like). The real curl (`curl -sS -m 1 -w '%{http_code}' -o /dev/null <url>`, as the
// watcher runs it) and the port's client (src/http/client.ts) against loopback listeners that
// behave as a probe can when nobody sends it a request: say nothing (curl's --max-time ends
// it), close after a moment (the probe's idle limit), send some bytes that are no greeting
// and close, reset, or not listen at all. Compared: the error line (durations masked) and
// the code. Bounded: 6 listeners x 7 URL forms, each run at most about 1 s, 6 at a time.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { httpCode } from '../../src/compat/curl-options.ts';
import { send } from '../../src/http/client.ts';
import { testIfInstalled } from '../support/installed.ts';

type Behaviour = 'silent' | 'close' | 'bytes-close' | 'bytes-silent' | 'reset' | 'refused';
const BEHAVIOURS: readonly Behaviour[] = ['silent', 'close', 'bytes-close', 'bytes-silent', 'reset', 'refused'];
// Case-insensitive schemes, and the host-name guess of a URL without one (`ftp.` prefix is
// not usable on loopback: the scheme forms are enough).
const SCHEMES = ['ftp', 'FTP', 'Ftp', 'imap', 'pop3', 'smtp', 'foo'];
const TIMEOUT_S = 1;
const WORKERS = 6;

interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

/** A loopback listener with one behaviour; 'refused' is a port that was listened on and closed. */
async function listen(behaviour: Behaviour): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const later = (fn: () => void) => socket.on('close', clearTimeout.bind(null, setTimeout(fn, 300)));
    if (behaviour === 'close') later(() => socket.end());
    if (behaviour === 'bytes-close' || behaviour === 'bytes-silent') socket.write('HTTP/1.1 200 OK\r\n');
    if (behaviour === 'bytes-close') later(() => socket.end());
    if (behaviour === 'reset') later(() => socket.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const close = (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  if (behaviour === 'refused') await close();
  return { port, close: behaviour === 'refused' ? async () => {} : close };
}

const mask = (text: string): string => text.replace(/\d+ (ms|milliseconds)/g, 'N $1');

function runCurl(url: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-sS', '-m', String(TIMEOUT_S), '-w', '%{http_code}', '-o', '/dev/null', url],
      { encoding: 'latin1', timeout: 20_000 },
      (_error, stdout, stderr) => resolve(`${stdout} ${mask(stderr.replace(/\n$/, ''))}`),
    );
  });
}

async function runPort(url: string): Promise<string> {
  const reply = await send({ url, method: 'GET', timeoutMs: TIMEOUT_S * 1000, maxBodyBytes: 1024 });
  return `${httpCode(reply.status)} ${reply.kind === 'failed' ? mask(reply.error) : ''}`;
}

testIfInstalled(['curl'])('curl-greeting: the port waits for the greeting as curl 7.88 does', async () => {
  const listeners = new Map<Behaviour, Listener>();
  const differences: string[] = [];
  const seen = new Map<string, number>();
  try {
    for (const behaviour of BEHAVIOURS) listeners.set(behaviour, await listen(behaviour));
    const runs = BEHAVIOURS.flatMap((behaviour) =>
      SCHEMES.map((scheme) => ({ behaviour, url: `${scheme}://127.0.0.1:${listeners.get(behaviour)?.port}` })),
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while (next < runs.length) {
          const { behaviour, url } = runs[next++] as (typeof runs)[number];
          const [curl, port] = await Promise.all([runCurl(url), runPort(url)]);
          const line = curl.replace(/\d+/g, (n) => (n.length > 3 ? 'P' : n));
          seen.set(line, (seen.get(line) ?? 0) + 1);
          if (curl !== port) differences.push(`${behaviour} ${url}\n  curl: ${curl}\n  port: ${port}`);
        }
      }),
    );
    console.log(`curl-greeting: ${runs.length} inputs, ${differences.length} differences; curl said:`);
    for (const [line, count] of seen) console.log(`  ${count} x ${line}`);
    for (const d of differences.slice(0, 10)) console.log(d);
    assert.equal(differences, []);
  } finally {
    await Promise.all([...listeners.values()].map((l) => l.close()));
  }
});

test.run();
