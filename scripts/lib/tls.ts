// A throwaway test CA and a server certificate signed by it, made with the openssl CLI.
// Used by the fake Telegram (api.telegram.org) and anything else that must speak HTTPS to
// curl or Node inside a sandbox: curl trusts `caPath` when it is bind-mounted over the system
// bundle, Node through NODE_EXTRA_CA_CERTS=caPath.
//
//   const tls = makeTestCa('/tmp/x');               // default names: api.telegram.org
//   https.createServer({ key: readFileSync(tls.keyPath), cert: readFileSync(tls.certPath) })
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface TestCa {
  /** PEM of the CA certificate (the only thing a client must trust). */
  readonly caPath: string;
  /** PEM of the server certificate (leaf only). */
  readonly certPath: string;
  /** PEM of the server key (unencrypted). */
  readonly keyPath: string;
}

export interface TestCaOptions {
  /** DNS names of the server certificate (first one is the CN). */
  readonly dnsNames?: readonly string[];
  /** IP addresses of the server certificate. */
  readonly ips?: readonly string[];
  /** Days the server certificate is valid from now (default 3650). */
  readonly days?: number;
}

/**
 * Creates (or reuses, when all three files already exist) a CA and a server certificate in
 * `dir`. EC P-256 keys: fast to make, accepted by curl 7.88 and Node 20.
 */
export function makeTestCa(dir: string, options: TestCaOptions = {}): TestCa {
  const dnsNames = options.dnsNames ?? ['api.telegram.org'];
  const ips = options.ips ?? ['127.0.0.1'];
  mkdirSync(dir, { recursive: true });
  const result: TestCa = {
    caPath: path.join(dir, 'ca.pem'),
    certPath: path.join(dir, 'cert.pem'),
    keyPath: path.join(dir, 'key.pem'),
  };
  if ([result.caPath, result.certPath, result.keyPath].every((p) => existsSync(p))) return result;

  const caKey = path.join(dir, 'ca.key');
  const csr = path.join(dir, 'server.csr');
  const ext = path.join(dir, 'server.ext');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    caKey,
    '-out',
    result.caPath,
    '-days',
    '3650',
    '-subj',
    '/CN=sentinella golden test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ecKey, '-keyout', result.keyPath, '-out', csr, '-subj', `/CN=${dnsNames[0] ?? 'localhost'}`);
  const san = [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    result.caPath,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    result.certPath,
    '-days',
    String(options.days ?? 3650),
    '-extfile',
    ext,
  );
  return result;
}
