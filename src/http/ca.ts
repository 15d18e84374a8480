// The CA store curl trusts. curl reads the host's bundle; node trusts its own bundle (plus
// NODE_EXTRA_CA_CERTS). Every outbound https request of the port (the router's URL checks,
// the watcher's peers and Telegram) trusts all of them, so a host CA that curl accepts is
// accepted here too. node:tls is loaded on the first https request, never at start-up.
// The entry points pass SSL_CERT_FILE and NODE_EXTRA_CA_CERTS as src/env.ts reads them.
import type { SecureContext } from 'node:tls';
import { encode } from '../bytes.ts';
import type { CaFiles } from '../env.ts';

let building: Promise<SecureContext> | null = null;
let given: CaFiles = { sslCertFile: null, nodeExtraCaCerts: null };

/** Called by an entry point before any https request (the store is built once, on first use). */
export function trustCaFiles(files: CaFiles): void {
  given = files;
}

/** Built once, on first use (reading and parsing the bundles blocks for a moment). */
export function hostSecureContext(): Promise<SecureContext> {
  building ??= build();
  return building;
}

async function build(): Promise<SecureContext> {
  const tls = await import('node:tls');
  const { readFileSync } = await import('node:fs');
  const ca: string[] = [...tls.rootCertificates];
  const files = [given.sslCertFile, '/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', given.nodeExtraCaCerts];
  for (const file of files) {
    if (!file) continue;
    try {
      ca.push(readFileSync(encode(file), 'latin1'));
    } catch {
      // a missing bundle is simply not trusted
    }
  }
  return tls.createSecureContext({ ca });
}
