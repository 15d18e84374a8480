// One HTTP exchange bounded in time and size, failing the way curl 7.88 fails: the originals
// run `curl -sS -m TIMEOUT`, so on a failure the port prints curl's own error line (contract
// §6 a, "Notify"). Node builtins only (daemons have no runtime dependencies).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export interface Exchange {
  /** HTTP status, or 0 when no status line was read. */
  readonly status: number;
  readonly body: Buffer;
  /** The body went past maxBodyBytes and was cut there (the rest is not read). */
  readonly truncated: boolean;
  /** curl's error line (without newline) when the exchange failed, as `curl -sS` prints it. */
  readonly error?: string;
}

export interface ExchangeOptions {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  /** Sent in this order with exactly these names (old routers match `Authorization: Basic `). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** Whole exchange, like curl's --max-time; 0 = unbounded (curl -m 0). */
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly signal?: AbortSignal;
}

/**
 * curl 7.88 refuses a URL holding a space or a control character before connecting: the
 * line it prints then, or undefined for a URL it accepts.
 */
export function curlRejectsUrl(url: string): string | undefined {
  return /[\x00-\x20\x7f]/.test(url) ? 'curl: (3) URL using bad/illegal format or missing URL' : undefined;
}

/** curl's name for a host in its messages: the URL's host without IPv6 brackets. */
function curlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

function defaultPort(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

export function exchange(options: ExchangeOptions): Promise<Exchange> {
  const { url } = options;
  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  const proto = url.protocol.slice(0, -1);
  if (proto !== 'http' && proto !== 'https') {
    return Promise.resolve({
      status: 0,
      body: Buffer.alloc(0),
      truncated: false,
      error: `curl: (1) Protocol "${proto}" not supported or disabled in libcurl`,
    });
  }

  return new Promise((resolve) => {
    let settled = false;
    let status = 0;
    let connected = false;
    let contentLength: number | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;

    let req: http.ClientRequest | undefined;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve({ status, body: Buffer.concat(chunks), truncated, ...(error !== undefined ? { error } : {}) });
    };

    const headers: Record<string, string> = {};
    for (const [name, value] of options.headers) headers[name] = value;
    const lib = proto === 'https' ? https : http;
    const hostname = curlHost(url);
    try {
      req = lib.request({
        host: hostname,
        port: defaultPort(url),
        path: `${url.pathname}${url.search}`,
        method: options.method,
        headers,
        agent: false,
        // curl accepts up to 100 KiB per header line; Node's default (16 KiB) is stricter.
        maxHeaderSize: 100 * 1024,
        ...(proto === 'https' && net.isIP(hostname) === 0 ? { servername: hostname } : {}),
      });
    } catch {
      // A header value Node refuses (a control character in PEERS_TOKEN, say): curl would
      // send it; nothing sensible can be sent, so the request fails like a bad argument.
      resolve({ status: 0, body: Buffer.alloc(0), truncated: false, error: 'curl: (43) A libcurl function was given a bad argument' });
      return;
    }
    const request = req;

    const onAbort = (): void => finish('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const timer =
      options.timeoutMs > 0
        ? setTimeout(() => {
            const ms = elapsed();
            if (!connected) return finish(`curl: (28) Connection timed out after ${ms} milliseconds`);
            const of = status !== 0 && contentLength !== undefined ? ` out of ${contentLength}` : '';
            finish(`curl: (28) Operation timed out after ${ms} milliseconds with ${received}${of} bytes received`);
          }, options.timeoutMs)
        : undefined;

    request.on('socket', (socket) => {
      socket.once(proto === 'https' ? 'secureConnect' : 'connect', () => {
        connected = true;
      });
    });

    request.on('response', (res) => {
      status = res.statusCode ?? 0;
      const length = res.headers['content-length'];
      contentLength = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = options.maxBodyBytes - received;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          received += room;
          truncated = true;
          finish();
          return;
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => finish());
      res.on('aborted', () => {
        const left = contentLength !== undefined ? contentLength - received : undefined;
        finish(
          left !== undefined && left > 0
            ? `curl: (18) transfer closed with ${left} bytes remaining to read`
            : 'curl: (56) Recv failure: Connection reset by peer',
        );
      });
      res.on('error', (err) => finish(curlErrorLine(err, url, elapsed(), connected, status !== 0, contentLength, received)));
    });

    request.on('error', (err) => finish(curlErrorLine(err, url, elapsed(), connected, status !== 0, contentLength, received)));
    request.end(options.body);
  });
}

/** Maps a Node error to the line curl 7.88 prints for the same failure. */
export function curlErrorLine(
  err: NodeJS.ErrnoException,
  url: URL,
  ms: number,
  connected: boolean,
  gotStatus: boolean,
  contentLength: number | undefined,
  received: number,
): string {
  const code = err.code ?? '';
  const host = curlHost(url);
  const port = defaultPort(url);
  const connectFailure = ['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
  if (connectFailure || (!connected && ['EADDRNOTAVAIL', 'ETIMEDOUT', 'EINVAL', 'EACCES', 'EPERM'].includes(code))) {
    return `curl: (7) Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `curl: (6) Could not resolve host: ${host}`;
  if (code === 'ECONNRESET' && err.message === 'socket hang up') {
    if (!gotStatus) return 'curl: (52) Empty reply from server';
    const left = contentLength !== undefined ? contentLength - received : undefined;
    if (left !== undefined && left > 0) return `curl: (18) transfer closed with ${left} bytes remaining to read`;
    return 'curl: (56) Recv failure: Connection reset by peer';
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'curl: (56) Recv failure: Connection reset by peer';
  if (code === 'HPE_HEADER_OVERFLOW') return 'curl: (27) Out of memory';
  if (code === 'HPE_INVALID_CONSTANT' || code === 'HPE_INVALID_VERSION') {
    return 'curl: (1) Received HTTP/0.9 when not allowed';
  }
  if (code === 'HPE_INVALID_STATUS') return 'curl: (1) Unsupported response code in HTTP response';
  if (code === 'HPE_INVALID_CHUNK_SIZE') {
    return 'curl: (56) Illegal or missing hexadecimal sequence in chunked-encoding';
  }
  const tls = TLS_ERRORS[code];
  if (tls !== undefined) return `curl: (60) SSL certificate problem: ${tls}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `curl: (60) SSL: no alternative certificate subject name matches target host name '${host}'`;
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return `curl: (35) ${err.message}`;
  if (code.startsWith('ERR_INVALID') || code.startsWith('ERR_HTTP')) {
    return 'curl: (43) A libcurl function was given a bad argument';
  }
  return `curl: (56) Recv failure: ${err.message}`;
}

const TLS_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to get local issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
};
