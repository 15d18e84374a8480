// A Transport (src/watcher/telegram/bot-api.ts) over node:https `request`, for the unit tests that mock
// Telegram with nock: nock intercepts node:http/https ClientRequest, not the raw node:net /
// node:tls sockets src/http/client.ts uses. It sends the request curl would
// (src/compat/curl-url.ts's reading of the URL, its headers) and maps the outcome into a Reply
// the way client.ts does: the status and kept body, or curl's failure and error text for a
// network error (socketFailure) or a timeout (28, the same wording as client.ts). Only the wire
// differs, so a test over it checks the outbox and notify logic, not curl's reading of
// responses (that is test/unit/http/*.test.ts and the sandbox tests in test/watcher/).
import http from 'node:http';
import https from 'node:https';
import { CURL_USER_AGENT, hostHeader, readTarget } from '../../src/compat/curl-url.ts';
import { socketFailure, timeoutFailure, type CurlFailure } from '../../src/compat/curl-errors.ts';
import { ended, failed, KeptBody, type Reply, type SendOptions } from '../../src/http/client.ts';
import type { Transport } from '../../src/watcher/telegram/bot-api.ts';

export const nodeHttpsTransport: Transport = (options: SendOptions): Promise<Reply> => {
  const reading = readTarget(options.url);
  if (reading.kind === 'refused') return Promise.resolve(failed(reading.failure));
  const { target } = reading;
  const started = process.hrtime.bigint();
  const elapsedNs = (): bigint => process.hrtime.bigint() - started;
  const elapsedMs = (): number => Number(elapsedNs() / 1_000_000n);
  // curl's own headers first (Host, User-Agent, Accept), then the caller's, as client.ts sends them.
  const headers: Record<string, string | number> = { Host: hostHeader(target) };
  if (target.auth !== undefined) headers['Authorization'] = `Basic ${target.auth.toString('base64')}`;
  headers['User-Agent'] = CURL_USER_AGENT;
  headers['Accept'] = '*/*';
  for (const [name, value] of options.headers ?? []) headers[name] = value;
  if (options.body) headers['Content-Length'] = options.body.length;

  return new Promise((resolve) => {
    const body = new KeptBody(options);
    let received = 0;
    let size: number | undefined;
    let status = 0;
    let connected = false;
    let settled = false;
    const finish = (failure?: CurlFailure): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      req.destroy();
      resolve(ended({ status, body: body.bytes, truncated: body.truncated, elapsedNs: elapsedNs() }, failure));
    };
    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => finish(timeoutFailure(elapsedMs(), connected, received, size)), options.timeoutMs)
        : undefined;

    const request = target.https ? https.request : http.request;
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.path,
      method: options.method,
      headers,
    });
    req.on('socket', (socket) => {
      socket.once(target.https ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });
    req.on('response', (res: http.IncomingMessage) => {
      connected = true;
      status = res.statusCode ?? 0;
      const length = Number(res.headers['content-length']);
      if (Number.isSafeInteger(length)) size = length;
      res.on('data', (bytes: Buffer) => {
        received += bytes.length;
        body.add(bytes);
        if (body.truncated) finish();
      });
      res.on('end', () => finish());
      res.on('error', (err: NodeJS.ErrnoException) =>
        finish(socketFailure(err, { host: target.hostname, port: target.port, ms: elapsedMs(), connected })),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      finish(socketFailure(err, { host: target.hostname, port: target.port, ms: elapsedMs(), connected }));
    });
    req.end(options.body);
  });
};
