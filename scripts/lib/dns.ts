// A tiny authoritative DNS server (dns2, UDP and TCP) for tests: it answers A, AAAA and SRV
// queries from a fixed table, so glibc's resolver (getent, getaddrinfo) and Node's resolver
// see exactly the records a test wants. Only for loopback or a test-made network namespace.
//
//   const dns = await startDnsServer({ host: '127.0.0.1', port: 53,
//     records: { 'peers.test': { A: ['127.0.0.2', '127.0.0.3'] },
//       '_sentinella._tcp.test': { SRV: [{ priority: 10, weight: 5, port: 5988, target: 'n1.test' }] } } });
//   ...; await dns.close();
//
// Modes: 'answer' (default) answers from `records` (NXDOMAIN for an unknown name, NOERROR with
// no answer for a known name without that type); 'servfail' answers SERVFAIL to everything;
// 'timeout' never answers. `setRecords`/`setMode` change the answers while running (for tests
// where DNS changes between rounds; with `answerDelayMs` a change made just after a query
// arrived still applies to it). Every query is counted in `queries`.
import dns2 from 'dns2';
import { sleep } from './process.ts';

// dns2's typings lack RCODE and loose resources; the wire format is what matters here, so the
// few fields used are declared here.
interface DnsQuestion {
  readonly name: string;
  readonly type: number;
}
interface DnsPacket {
  readonly header: { rcode: number; aa: number };
  readonly questions?: readonly DnsQuestion[];
  readonly answers: Array<Record<string, unknown>>;
}
interface PacketCodes {
  readonly TYPE: { readonly A: number; readonly AAAA: number; readonly SRV: number };
  readonly CLASS: { readonly IN: number };
  readonly RCODE: { readonly SERVFAIL: number; readonly NXDOMAIN: number };
  createResponseFromRequest(request: DnsPacket): DnsPacket;
}
type SendPacket = (response: DnsPacket) => unknown;
const Packet = dns2.Packet as unknown as PacketCodes;

/** One SRV record (RFC 2782), answered in the order given. */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** Written as given (`''` is the root: "no service here"). */
  readonly target: string;
}

export interface DnsRecords {
  [name: string]: { A?: readonly string[]; AAAA?: readonly string[]; SRV?: readonly SrvRecord[] };
}

export type DnsMode = 'answer' | 'servfail' | 'timeout';

export interface DnsServerOptions {
  readonly host?: string;
  readonly port?: number;
  readonly records?: DnsRecords;
  readonly mode?: DnsMode;
  /** Also listen on TCP (glibc falls back to TCP for truncated answers). Default true. */
  readonly tcp?: boolean;
  /** Answer each query this many ms after it arrived, from the records/mode of that moment. */
  readonly answerDelayMs?: number;
}

export interface DnsQueryLog {
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'SRV' | 'other';
}

export interface RunningDnsServer {
  readonly queries: DnsQueryLog[];
  setRecords(records: DnsRecords): void;
  setMode(mode: DnsMode): void;
  close(): Promise<void>;
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

export async function startDnsServer(options: DnsServerOptions = {}): Promise<RunningDnsServer> {
  let records = lowerKeys(options.records ?? {});
  let mode: DnsMode = options.mode ?? 'answer';
  const answerDelayMs = options.answerDelayMs ?? 0;
  const queries: DnsQueryLog[] = [];

  const server = dns2.createServer({
    udp: true,
    tcp: options.tcp ?? true,
    handle(request: DnsPacket, send: SendPacket) {
      const response = Packet.createResponseFromRequest(request);
      const question = request.questions?.[0];
      if (!question) return void send(response);
      const name = normalise(String(question.name));
      const type = typeName(question.type);
      queries.push({ name, type });
      if (answerDelayMs > 0) setTimeout(() => answer(send, response, question, type), answerDelayMs);
      else answer(send, response, question, type);
    },
  } as unknown as Parameters<typeof dns2.createServer>[0]);

  // The answer is decided when it is sent (after answerDelayMs), from the records and mode of
  // that moment.
  function answer(send: SendPacket, response: DnsPacket, question: DnsQuestion, type: string): void {
    const name = normalise(String(question.name));
    if (mode === 'timeout') return;
    if (mode === 'servfail') {
      response.header.rcode = Packet.RCODE.SERVFAIL;
      return void send(response);
    }
    const entry = records[name];
    if (!entry) {
      response.header.rcode = Packet.RCODE.NXDOMAIN;
      return void send(response);
    }
    response.header.aa = 1;
    if (type === 'SRV') {
      for (const srv of entry.SRV ?? []) {
        response.answers.push({ name: question.name, type: Packet.TYPE.SRV, class: Packet.CLASS.IN, ttl: 1, ...srv });
      }
      return void send(response);
    }
    const addresses = type === 'A' ? (entry.A ?? []) : type === 'AAAA' ? (entry.AAAA ?? []) : [];
    for (const address of addresses) {
      response.answers.push({
        name: question.name,
        type: type === 'A' ? Packet.TYPE.A : Packet.TYPE.AAAA,
        class: Packet.CLASS.IN,
        ttl: 1,
        address,
      });
    }
    send(response);
  }
  // dns2 reports socket errors as events; a test server must not crash its host process.
  server.on('error', () => {});
  server.on('requestError', () => {});

  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 53;
  const where = { port, address: host };
  await server.listen((options.tcp ?? true) ? { udp: where, tcp: where } : { udp: where });

  return {
    queries,
    setRecords(next) {
      records = lowerKeys(next);
    },
    setMode(next) {
      mode = next;
    },
    async close() {
      await Promise.race([server.close(), sleep(1000)]);
    },
  };
}

function typeName(type: number): DnsQueryLog['type'] {
  if (type === Packet.TYPE.A) return 'A';
  if (type === Packet.TYPE.AAAA) return 'AAAA';
  return type === Packet.TYPE.SRV ? 'SRV' : 'other';
}

function lowerKeys(records: DnsRecords): DnsRecords {
  return Object.fromEntries(Object.entries(records).map(([k, v]) => [normalise(k), v]));
}
