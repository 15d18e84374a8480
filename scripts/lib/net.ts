// Ports and connections, for the tests and the scripts: a free loopback port, one bounded
// connection attempt, and waiting (bounded) for a server to listen or to go away.
import net from 'node:net';
import { waitUntil } from './process.ts';

/** A TCP port free on 127.0.0.1 right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One TCP connection attempt (500 ms at most). */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves true once host:port accepts (or, with `open` false, refuses) connections, checked every `everyMs`. */
export function waitForPort(host: string, port: number, timeoutMs: number, open = true, everyMs = 100): Promise<boolean> {
  return waitUntil(async () => (await canConnect(host, port)) === open, timeoutMs, everyMs);
}
