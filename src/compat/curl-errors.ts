// curl 7.88.1's failures as `curl -sS` reports them (docs/behaviour.md §9, §4.7, §6 a): its exit
// code and the line (and, after a certificate error, the advice) it prints on stderr, for a
// URL it refuses, a socket, TLS or DNS error, a timeout, or a response it refuses
// (src/compat/curl-response.ts). Checked against the real curl by
// test/differential/curl-url.test.ts, curl-response.test.ts and curl-greeting.test.ts.
// Pure functions only.

/** Why a transfer failed, in curl's terms: its exit code and message. */
export interface CurlFailure {
  readonly code: number;
  readonly message: string;
}

/** The line `curl -sS` prints for a failure (without newline). */
export function curlErrorLine(failure: CurlFailure): string {
  return `curl: (${failure.code}) ${failure.message}`;
}

/**
 * After a certificate error (60) `curl -sS` prints this advice (recorded from curl 7.88.1
 * on Debian 12), so a failure's output is the error line, then these lines.
 */
export const CERT_ADVICE =
  'More details here: https://curl.se/docs/sslcerts.html\n' +
  '\n' +
  'curl failed to verify the legitimacy of the server and therefore could not\n' +
  'establish a secure connection to it. To learn more about this situation and\n' +
  'how to fix it, please visit the web page mentioned above.';

/** Everything `curl -sS` prints on stderr for a failure (lines without the final newline). */
export function curlErrorText(failure: CurlFailure): string {
  const line = curlErrorLine(failure);
  return failure.code === 60 ? `${line}\n${CERT_ADVICE}` : line;
}

/** OpenSSL's verify results as curl words them after `SSL certificate problem: `. */
export const TLS_ERRORS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to get local issuer certificate',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
};

/** Where the transfer was when a socket error came (curl's message depends on it). */
export interface TransferStage {
  readonly host: string;
  readonly port: number;
  readonly ms: number;
  readonly connected: boolean;
}

/**
 * curl's failure when --max-time runs out (28): before the connection was made, or during
 * the transfer with what had arrived (and the announced size, when there was one).
 */
export function timeoutFailure(ms: number, connected: boolean, received: number, size: number | undefined): CurlFailure {
  if (!connected) return { code: 28, message: `Connection timed out after ${ms} milliseconds` };
  const of = size !== undefined ? ` out of ${size}` : '';
  return { code: 28, message: `Operation timed out after ${ms} milliseconds with ${received}${of} bytes received` };
}

/**
 * curl's failure when the server closes the connection while curl waits for its greeting (FTP,
 * IMAP, POP3, SMTP): the errno it shows is a stale one, EINPROGRESS (115) left by its
 * non-blocking connect, or EAGAIN (11) once an earlier read had found bytes and then nothing
 * more (recorded from curl 7.88.1 against loopback listeners).
 */
export function greetingClosedFailure(receivedBytes: number): CurlFailure {
  return { code: 56, message: `response reading failed (errno: ${receivedBytes > 0 ? 11 : 115})` };
}

/** Maps a Node socket/TLS/DNS error to the failure curl 7.88 reports for the same event. */
export function socketFailure(err: NodeJS.ErrnoException, stage: TransferStage): CurlFailure {
  const code = err.code ?? '';
  const { host, port, ms, connected } = stage;
  // Any failure of the name lookup (NSS, as curl's) is curl's "could not resolve".
  if (err.syscall === 'getaddrinfo') return { code: 6, message: `Could not resolve host: ${host}` };
  const connectFailure = ['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code);
  if (connectFailure || (!connected && ['EADDRNOTAVAIL', 'ETIMEDOUT', 'EINVAL', 'EACCES', 'EPERM'].includes(code))) {
    return { code: 7, message: `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return { code: 6, message: `Could not resolve host: ${host}` };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { code: 56, message: 'Recv failure: Connection reset by peer' };
  const tls = TLS_ERRORS[code];
  if (tls !== undefined) return { code: 60, message: `SSL certificate problem: ${tls}` };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return { code: 60, message: `SSL: no alternative certificate subject name matches target host name '${host}'` };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { code: 35, message: err.message };
  return { code: 56, message: `Recv failure: ${err.message}` };
}
