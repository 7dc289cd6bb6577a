/**
 * Authoritative test DNS server on 127.0.0.1 (random free port, UDP + TCP)
 * built on npm `dns2`, after /work/shared/oracles/dns-server.mjs. Unknown
 * names answer NXDOMAIN, known names without the asked type answer NODATA,
 * TXT strings longer than 255 octets are split into character-strings, and
 * a name marked `SERVFAIL` answers SERVFAIL (for temperror paths).
 *
 * @example
 * ```ts
 * const dns = await startDnsServer({ 'example.com': { MX: [{ priority: 10, exchange: 'mx.example.com' }] } });
 * const r = new Resolver(); r.setServers([dns.server]);
 * await dns.close();
 * ```
 */
import dns2 from 'dns2';

const { Packet } = dns2;
/** Response codes (RFC 1035 §4.1.1); dns2 3.0.0 has them at run time but not in its types. */
const RCODE = { SERVFAIL: 2, NXDOMAIN: 3 } as const;

export interface ZoneNode {
  A?: string[];
  AAAA?: string[];
  MX?: Array<{ priority: number; exchange: string }>;
  /** A string is split into 255-octet chunks; an array gives the chunks explicitly. */
  TXT?: Array<string | string[]>;
  PTR?: string[];
  CNAME?: string[];
  SERVFAIL?: true;
}

export type Zone = Record<string, ZoneNode>;

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  server: string;
  port: number;
  /** Every question received, as `TYPE name`. */
  queries: string[];
  /** Replaces the zone being served. */
  setZone(zone: Zone): void;
  close(): Promise<void>;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Packet.TYPE).map(([k, v]) => [v, k]),
);

function splitTxt(v: string | string[]): Buffer[] | string[] {
  if (Array.isArray(v)) return v;
  const buf = Buffer.from(v, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 255) out.push(buf.subarray(i, i + 255));
  return out.length > 0 ? out : [Buffer.alloc(0)];
}

const norm = (n: string): string => n.toLowerCase().replace(/\.$/, '');

function normalizeZone(zone: Zone): Map<string, ZoneNode> {
  return new Map(Object.entries(zone).map(([k, v]) => [norm(k), v]));
}

// biome-ignore lint/suspicious/noExplicitAny: dns2 resource records are loosely typed
type Answer = Record<string, any>;

function answersFor(
  zone: Map<string, ZoneNode>,
  qname: string,
  qtype: number,
  depth = 0,
): Answer[] | null {
  const node = zone.get(norm(qname));
  if (!node) return null;
  const base = { name: qname, class: Packet.CLASS.IN, ttl: 60 };
  const want = TYPE_NAMES[qtype];
  const cname = node.CNAME?.[0];
  if (cname && want !== 'CNAME' && depth < 8) {
    return [
      { ...base, type: Packet.TYPE.CNAME, domain: cname },
      ...(answersFor(zone, cname, qtype, depth + 1) ?? []),
    ];
  }
  switch (want) {
    case 'A':
      return (node.A ?? []).map((address) => ({ ...base, type: Packet.TYPE.A, address }));
    case 'AAAA':
      return (node.AAAA ?? []).map((address) => ({ ...base, type: Packet.TYPE.AAAA, address }));
    case 'MX':
      return (node.MX ?? []).map((r) => ({
        ...base,
        type: Packet.TYPE.MX,
        priority: r.priority,
        exchange: r.exchange,
      }));
    case 'TXT':
      return (node.TXT ?? []).map((t) => ({ ...base, type: Packet.TYPE.TXT, data: splitTxt(t) }));
    case 'PTR':
      return (node.PTR ?? []).map((domain) => ({ ...base, type: Packet.TYPE.PTR, domain }));
    case 'CNAME':
      return (node.CNAME ?? []).map((domain) => ({ ...base, type: Packet.TYPE.CNAME, domain }));
    default:
      return [];
  }
}

/** Starts the server; the zone can be replaced later with `setZone`. */
export async function startDnsServer(initial: Zone = {}): Promise<TestDnsServer> {
  let zone = normalizeZone(initial);
  const queries: string[] = [];
  const handle: dns2.DnsHandler = (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    response.header.aa = 1;
    const [q] = request.questions;
    if (!q) {
      send(response);
      return;
    }
    queries.push(`${TYPE_NAMES[q.type] ?? q.type} ${norm(q.name)}`);
    if (zone.get(norm(q.name))?.SERVFAIL) {
      response.header.rcode = RCODE.SERVFAIL;
      send(response);
      return;
    }
    const answers = answersFor(zone, q.name, q.type);
    if (answers === null) response.header.rcode = RCODE.NXDOMAIN;
    // biome-ignore lint/suspicious/noExplicitAny: see Answer
    else response.answers.push(...(answers as any[]));
    send(response);
  };

  // UDP first on port 0, then TCP on the same port (retry if that port is taken for TCP).
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dns2.createUDPServer({ type: 'udp4' } as dns2.UdpServerOptions);
    udp.on('request', handle);
    await udp.listen(0, '127.0.0.1');
    const port = udp.address().port;
    const tcp = dns2.createTCPServer();
    tcp.on('request', handle);
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!ok) {
      udp.close();
      continue;
    }
    return {
      server: `127.0.0.1:${port}`,
      port,
      queries,
      setZone(next) {
        zone = normalizeZone(next);
      },
      close: () =>
        new Promise<void>((resolve) => {
          udp.close(() => tcp.close(() => resolve()));
        }),
    };
  }
  throw new Error('could not find a free port for the test DNS server');
}
