/**
 * DKIM key record checks (RFC 6376 §3.6.1, RFC 8301, RFC 8463): the selector
 * record exists, the key is usable and big enough, and matches the private
 * key the mailer signs with.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver, Lookup } from './resolver.js';
import type { DoctorRule } from './rule.js';
import { parseTagList } from './tag-list.js';

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

/** What the DKIM rules read: the selector record (present only when a selector was given). */
export interface DkimFacts extends DkimRecordInput {
  /** `selector._domainkey.domain`. */
  name: string;
  txt: Lookup<string[]>;
}

/** Looks up the selector record. */
export async function gatherDkim(dns: DoctorResolver, input: DkimRecordInput): Promise<DkimFacts> {
  const name = `${input.selector}._domainkey.${input.domain}`;
  return { ...input, name, txt: await dns.txt(name) };
}

/**
 * The verdict on the selector record, and the key type and data when the
 * record is usable (the key rules then look at the key itself).
 */
function judgeRecord(d: DkimFacts): { check: DoctorCheck; k?: string; p?: string } {
  const { name, txt } = d;
  if (txt.kind === 'error') return { check: unknown('dkim-record', `TXT ${name}`, txt.code) };
  const records = txt.kind === 'ok' ? txt.value : [];
  if (records.length === 0) {
    return {
      check: fail(
        'dkim-record',
        `no DKIM key at ${name}: every signature with s=${d.selector} d=${d.domain} fails as "no key"`,
        `Publish the public key as TXT at ${name}: "v=DKIM1; k=rsa; p=<base64 SPKI>".`,
      ),
    };
  }
  if (records.length > 1) {
    return {
      check: fail(
        'dkim-record',
        `${name} has ${records.length} TXT records; verifiers may pick either`,
        'Keep exactly one key record per selector.',
      ),
    };
  }
  const text = records[0] ?? '';
  const tags = parseTagList(text);
  if (
    !tags ||
    (tags.has('v') && tags.get('v') !== 'DKIM1') ||
    (tags.has('v') && !/^\s*v\s*=/.test(text))
  ) {
    return {
      check: fail(
        'dkim-record',
        `${name} is not a valid DKIM key record: "${text.slice(0, 80)}"`,
        'Publish "v=DKIM1; k=rsa; p=…" (v= first if present).',
      ),
    };
  }
  const p = tags.get('p');
  if (p === undefined) {
    return {
      check: fail('dkim-record', `${name} has no p= tag`, 'Add the base64 public key as p=.'),
    };
  }
  if (p === '') {
    return {
      check: fail(
        'dkim-record',
        `${name} has an empty p=: the key is revoked`,
        `Publish a current key under a new selector and sign with it.`,
      ),
    };
  }
  const k = (tags.get('k') ?? 'rsa').toLowerCase();
  if (k !== 'rsa' && k !== 'ed25519') {
    return {
      check: fail('dkim-record', `${name} has unknown key type k=${k}`, 'Use k=rsa or k=ed25519.'),
    };
  }
  const hashes = tags.get('h');
  if (hashes !== undefined && !hashes.toLowerCase().split(':').includes('sha256')) {
    return {
      check: fail(
        'dkim-record',
        `${name} restricts hashes to h=${hashes}; sha256 signatures are refused`,
        'Remove h= or include sha256.',
      ),
    };
  }
  if (tags.get('t')?.split(':').includes('y')) {
    const check = warn(
      'dkim-record',
      `${name} is in testing mode (t=y): receivers may treat signatures as unsigned`,
      'Remove t=y once signing works.',
    );
    return { check, k, p };
  }
  const check = pass(
    'dkim-record',
    `${name} publishes ${k === 'rsa' ? 'an RSA' : 'an Ed25519'} key`,
  );
  return { check, k, p };
}

/** The published key of a usable record, or why it cannot be built; undefined when the record is not usable. */
function publishedKey(d: DkimFacts): { k: string; key: KeyObject | string } | undefined {
  const { k, p } = judgeRecord(d);
  return k === undefined || p === undefined ? undefined : { k, key: publicKeyFromRecord(k, p) };
}

const dkimRecord: DoctorRule<'dkim'> = {
  id: 'dkim-record',
  needs: ['dkim'],
  check: ({ dkim }) =>
    dkim
      ? judgeRecord(dkim).check
      : warn(
          'dkim-record',
          'no DKIM selector given: DKIM was not checked; Gmail and Yahoo require DKIM from bulk senders',
          'Sign with DKIM (options.dkim) and pass --dkim-selector/--dkim-domain.',
        ),
};

const dkimKey: DoctorRule<'dkim'> = {
  id: 'dkim-key',
  needs: ['dkim'],
  check: ({ dkim }) => {
    const published = dkim && publishedKey(dkim);
    if (!dkim || !published) return undefined;
    const { name } = dkim;
    const { k, key } = published;
    if (typeof key === 'string') {
      return fail(
        'dkim-key',
        `${name}: ${key}`,
        'Publish the base64 DER (SubjectPublicKeyInfo) of the public key as p=.',
      );
    }
    if (k !== 'rsa') {
      return pass(
        'dkim-key',
        'Ed25519 key (RFC 8463); also sign with RSA for receivers that do not verify Ed25519',
      );
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (key.asymmetricKeyType !== 'rsa') {
      return fail(
        'dkim-key',
        `${name} says k=rsa but publishes a ${key.asymmetricKeyType} key`,
        'Publish the RSA public key.',
      );
    }
    if (bits < 1024) {
      return fail(
        'dkim-key',
        `RSA key of ${bits} bits: receivers ignore keys below 1024 bits (RFC 8301)`,
        'Generate a 2048-bit RSA key and publish it under a new selector.',
      );
    }
    if (bits < 2048) {
      return warn(
        'dkim-key',
        `RSA key of ${bits} bits: accepted, but 2048 bits is the recommended minimum`,
        'Rotate to a 2048-bit key under a new selector.',
      );
    }
    return pass('dkim-key', `RSA key of ${bits} bits`);
  },
};

const dkimKeyMatch: DoctorRule<'dkim'> = {
  id: 'dkim-key-match',
  needs: ['dkim'],
  check: ({ dkim }) => {
    if (dkim?.privateKey === undefined) return undefined;
    const key = publishedKey(dkim)?.key;
    if (key === undefined || typeof key === 'string') return undefined;
    let derived: KeyObject;
    try {
      derived = createPublicKey(createPrivateKey(dkim.privateKey));
    } catch {
      return fail(
        'dkim-key-match',
        'the given private key cannot be read',
        'Pass the PEM private key the mailer signs with.',
      );
    }
    const published = key.export({ type: 'spki', format: 'der' });
    const mine = derived.export({ type: 'spki', format: 'der' });
    if (published.equals(mine)) {
      return pass('dkim-key-match', `the private key matches the key published at ${dkim.name}`);
    }
    return fail(
      'dkim-key-match',
      `the private key does not match the key published at ${dkim.name}: every signature will fail verification`,
      'Publish the public half of the signing key (openssl pkey -pubout), or sign with the key that matches the record.',
    );
  },
};

/** The DKIM selector record, its key, and that the key matches the signing key (or: no selector). */
export const dkimRules: readonly DoctorRule[] = [dkimRecord, dkimKey, dkimKeyMatch];
