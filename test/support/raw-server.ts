// A raw loopback HTTP/1 server for the differential tests against curl: it records the exact
// bytes of each request head and answers with whatever bytes the test picks for it (chosen
// from the request, so one server serves many crafted responses: `/r/<n>` gets response n).
// Plain node:net, so nothing about the answer is checked or fixed on the way out.
//
//   const server = await startRawServer((head) => Buffer.from('HTTP/1.1 200 OK\r\n\r\n'));
//   ... server.port, server.heads ...; await server.close();
import net from 'node:net';

/** Bytes to write then close, or 'hang' (never answer until close()). */
export type RawAnswer = Buffer | 'hang';

export interface RawServer {
  readonly port: number;
  /** Every request head received (up to and including the blank line), in arrival order. */
  readonly heads: Buffer[];
  /** The body of each request (its Content-Length bytes; empty without one), same order. */
  readonly bodies: Buffer[];
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Listens on `hosts` (default 127.0.0.1; add '::1' for IPv6 literals), one port for all. */
export async function startRawServer(answer: (head: Buffer) => RawAnswer, hosts: readonly string[] = ['127.0.0.1']): Promise<RawServer> {
  const heads: Buffer[] = [];
  const bodies: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf(HEAD_END);
      if (end < 0) return;
      const head = buffered.subarray(0, end + 4);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head.toString('latin1'))?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      answered = true;
      heads.push(head);
      bodies.push(buffered.subarray(end + 4, end + 4 + length));
      const bytes = answer(head);
      if (bytes !== 'hang') socket.end(bytes);
    });
  };
  let port = 0;
  for (const host of hosts) {
    const server = net.createServer(onConnection);
    server.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, exclusive: true }, () => resolve());
    });
    port = (server.address() as net.AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    heads,
    bodies,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
