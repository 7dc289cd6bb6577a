// Minimal types for the parts of mailauth (no bundled types) the tests use.
declare module 'mailauth/lib/dkim/verify' {
  export interface DkimResult {
    signingDomain: string;
    selector: string;
    algo: string;
    format: string;
    status: { result: string; comment?: string; aligned?: string | false };
    signingHeaders?: { keys: string };
  }
  export function dkimVerify(
    input: Buffer | string,
    options: { resolver: (name: string, rrtype: string) => Promise<unknown> },
  ): Promise<{ headerFrom: string[]; results: DkimResult[] }>;
}

declare module 'mailauth/lib/spf' {
  export function spf(options: {
    sender: string;
    ip: string;
    helo: string;
    mta?: string;
    resolver: (name: string, rrtype: string) => Promise<unknown>;
  }): Promise<{ status: { result: string; comment?: string } }>;
}
