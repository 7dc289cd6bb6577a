/**
 * DKIM key record checks (RFC 6376 §3.6.1, RFC 8301, RFC 8463): the selector
 * record exists, the key is usable and big enough, and matches the private
 * key the mailer signs with.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver } from './resolver.js';

/** Tags of a DKIM key record; names lower-cased, values with whitespace removed. */
export function parseTagList(text: string): Map<string, string> | undefined {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(name) || tags.has(name)) return undefined;
    tags.set(name, part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Builds the public key a DKIM record publishes, or explains why it cannot. */
export function publicKeyFromRecord(k: string, p: string): KeyObject | string {
  const der = Buffer.from(p, 'base64');
  if (der.length === 0) return 'empty key';
  try {
    if (k === 'ed25519') {
      if (der.length !== 32) return `Ed25519 key must be 32 octets, got ${der.length}`;
      return createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, der]),
        format: 'der',
        type: 'spki',
      });
    }
    try {
      return createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      // some generators publish a bare PKCS#1 RSAPublicKey
      return createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  } catch (e) {
    return `p= is not a valid ${k} public key (${(e as Error).message})`;
  }
}

export interface DkimRecordInput {
  selector: string;
  domain: string;
  privateKey?: string;
}

/** Checks the DKIM selector record and, with a private key, that both halves match. */
export async function checkDkimRecord(
  dns: DoctorResolver,
  input: DkimRecordInput,
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const name = `${input.selector}._domainkey.${input.domain}`;
  const txt = await dns.txt(name);
  if (txt.kind === 'error') {
    out.push(unknown('dkim-record', `TXT ${name}`, txt.code));
    return out;
  }
  const records = txt.kind === 'ok' ? txt.value : [];
  if (records.length === 0) {
    out.push(
      fail(
        'dkim-record',
        `no DKIM key at ${name}: every signature with s=${input.selector} d=${input.domain} fails as "no key"`,
        `Publish the public key as TXT at ${name}: "v=DKIM1; k=rsa; p=<base64 SPKI>".`,
      ),
    );
    return out;
  }
  if (records.length > 1) {
    out.push(
      fail(
        'dkim-record',
        `${name} has ${records.length} TXT records; verifiers may pick either`,
        'Keep exactly one key record per selector.',
      ),
    );
    return out;
  }
  const text = records[0] ?? '';
  const tags = parseTagList(text);
  if (
    !tags ||
    (tags.has('v') && tags.get('v') !== 'DKIM1') ||
    (tags.has('v') && !/^\s*v\s*=/.test(text))
  ) {
    out.push(
      fail(
        'dkim-record',
        `${name} is not a valid DKIM key record: "${text.slice(0, 80)}"`,
        'Publish "v=DKIM1; k=rsa; p=…" (v= first if present).',
      ),
    );
    return out;
  }
  const p = tags.get('p');
  if (p === undefined) {
    out.push(fail('dkim-record', `${name} has no p= tag`, 'Add the base64 public key as p=.'));
    return out;
  }
  if (p === '') {
    out.push(
      fail(
        'dkim-record',
        `${name} has an empty p=: the key is revoked`,
        `Publish a current key under a new selector and sign with it.`,
      ),
    );
    return out;
  }
  const k = (tags.get('k') ?? 'rsa').toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') {
    out.push(fail('dkim-record', `${name} has unknown key type k=${k}`, 'Use k=rsa or k=ed25519.'));
    return out;
  }
  const hashes = tags.get('h');
  if (hashes !== undefined && !hashes.toLowerCase().split(':').includes('sha256')) {
    out.push(
      fail(
        'dkim-record',
        `${name} restricts hashes to h=${hashes}; sha256 signatures are refused`,
        'Remove h= or include sha256.',
      ),
    );
    return out;
  }
  if (tags.get('t')?.split(':').includes('y')) {
    out.push(
      warn(
        'dkim-record',
        `${name} is in testing mode (t=y): receivers may treat signatures as unsigned`,
        'Remove t=y once signing works.',
      ),
    );
  } else {
    out.push(pass('dkim-record', `${name} publishes ${k === 'rsa' ? 'an RSA' : 'an Ed25519'} key`));
  }

  const key = publicKeyFromRecord(k, p);
  if (typeof key === 'string') {
    out.push(
      fail(
        'dkim-key',
        `${name}: ${key}`,
        'Publish the base64 DER (SubjectPublicKeyInfo) of the public key as p=.',
      ),
    );
    return out;
  }
  if (k === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa') {
      out.push(
        fail(
          'dkim-key',
          `${name} says k=rsa but publishes a ${key.asymmetricKeyType} key`,
          'Publish the RSA public key.',
        ),
      );
    } else if (bits < 1024) {
      out.push(
        fail(
          'dkim-key',
          `RSA key of ${bits} bits: receivers ignore keys below 1024 bits (RFC 8301)`,
          'Generate a 2048-bit RSA key and publish it under a new selector.',
        ),
      );
    } else if (bits < 2048) {
      out.push(
        warn(
          'dkim-key',
          `RSA key of ${bits} bits: accepted, but 2048 bits is the recommended minimum`,
          'Rotate to a 2048-bit key under a new selector.',
        ),
      );
    } else {
      out.push(pass('dkim-key', `RSA key of ${bits} bits`));
    }
  } else {
    out.push(
      pass(
        'dkim-key',
        'Ed25519 key (RFC 8463); also sign with RSA for receivers that do not verify Ed25519',
      ),
    );
  }

  if (input.privateKey !== undefined) {
    let derived: KeyObject | undefined;
    try {
      derived = createPublicKey(createPrivateKey(input.privateKey));
    } catch {
      out.push(
        fail(
          'dkim-key-match',
          'the given private key cannot be read',
          'Pass the PEM private key the mailer signs with.',
        ),
      );
      return out;
    }
    const published = key.export({ type: 'spki', format: 'der' });
    const mine = derived.export({ type: 'spki', format: 'der' });
    if (published.equals(mine)) {
      out.push(pass('dkim-key-match', `the private key matches the key published at ${name}`));
    } else {
      out.push(
        fail(
          'dkim-key-match',
          `the private key does not match the key published at ${name}: every signature will fail verification`,
          'Publish the public half of the signing key (openssl pkey -pubout), or sign with the key that matches the record.',
        ),
      );
    }
  }
  return out;
}
