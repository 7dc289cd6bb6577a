/** Keys, DNS records and a mailauth verifier for the DKIM tests. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type DkimResult, dkimVerify } from 'mailauth/lib/dkim/verify';

export interface TestKey {
  privatePem: string;
  publicKey: KeyObject;
  txt: string;
}

/** The TXT record a domain publishes for a key (RFC 6376 §3.6.1, RFC 8463 §4). */
export function dkimTxt(publicKey: KeyObject): string {
  if (publicKey.asymmetricKeyType === 'ed25519') {
    const der = publicKey.export({ type: 'spki', format: 'der' });
    // the raw 32-byte key is the tail of the SPKI structure
    return `v=DKIM1; k=ed25519; p=${der.subarray(der.length - 32).toString('base64')}`;
  }
  return `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
}

export function rsaKey(bits = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    txt: dkimTxt(publicKey),
  };
}

export function ed25519Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    txt: dkimTxt(publicKey),
  };
}

/** A mailauth resolver answering TXT from a table, ENOTFOUND otherwise. */
export function staticResolver(txt: Record<string, string>) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const value = txt[name.toLowerCase().replace(/\.$/, '')];
    if (rrtype !== 'TXT' || value === undefined) {
      throw Object.assign(new Error(`ENOTFOUND ${rrtype} ${name}`), { code: 'ENOTFOUND' });
    }
    return [value.match(/.{1,255}/g) ?? ['']];
  };
}

/** Verifies with mailauth; returns one result per DKIM-Signature. */
export async function verify(raw: Buffer, txt: Record<string, string>): Promise<DkimResult[]> {
  const res = await dkimVerify(raw, { resolver: staticResolver(txt) });
  return res.results;
}

export const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'latin1');
