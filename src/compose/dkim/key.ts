/**
 * Turns the `privateKey` option into a checked `KeyObject` and the algorithm
 * that goes with it. Every problem is a `DKIM_INVALID_KEY` error so callers
 * learn about a bad key when they configure signing, not from a receiver.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { MailHygieneError } from '../../wire/index.js';
import type { DkimOptions } from '../policy.js';

type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

export interface SigningKey {
  key: KeyObject;
  algorithm: DkimAlgorithm;
}

/** RFC 8301 §3.2: verifiers must not accept RSA keys below 1024 bits. */
const MIN_RSA_BITS = 1024;

/**
 * Loads and checks the private key of one DKIM option set. Without an
 * explicit `algorithm` it follows the key type.
 *
 * @example
 * ```ts
 * const { key, algorithm } = loadSigningKey({ domainName: 'example.com', keySelector: 's1', privateKey: pem });
 * ```
 */
export function loadSigningKey(opts: Pick<DkimOptions, 'privateKey' | 'algorithm'>): SigningKey {
  let key: KeyObject;
  try {
    key = typeof opts.privateKey === 'string' ? createPrivateKey(opts.privateKey) : opts.privateKey;
  } catch (cause) {
    throw new MailHygieneError(
      'DKIM_INVALID_KEY',
      'DKIM privateKey is not a readable private key (PEM PKCS#8 or PKCS#1)',
      {
        field: 'dkim.privateKey',
        cause,
      },
    );
  }
  if (!key || typeof key !== 'object' || key.type !== 'private') {
    throw new MailHygieneError('DKIM_INVALID_KEY', 'DKIM privateKey must be a private key', {
      field: 'dkim.privateKey',
    });
  }
  const type = key.asymmetricKeyType;
  const algorithm: DkimAlgorithm =
    opts.algorithm ?? (type === 'ed25519' ? 'ed25519-sha256' : 'rsa-sha256');
  if (algorithm !== 'rsa-sha256' && algorithm !== 'ed25519-sha256') {
    throw new MailHygieneError(
      'DKIM_INVALID_KEY',
      `unsupported DKIM algorithm "${String(algorithm)}"`,
      {
        field: 'dkim.algorithm',
      },
    );
  }
  if (algorithm === 'rsa-sha256') {
    if (type !== 'rsa') {
      throw new MailHygieneError(
        'DKIM_INVALID_KEY',
        `rsa-sha256 needs an RSA key, got ${type ?? 'unknown'}`,
        {
          field: 'dkim.privateKey',
        },
      );
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) {
      throw new MailHygieneError(
        'DKIM_INVALID_KEY',
        `RSA key has ${bits} bits; receivers ignore keys below ${MIN_RSA_BITS} (RFC 8301)`,
        {
          field: 'dkim.privateKey',
        },
      );
    }
  } else if (type !== 'ed25519') {
    throw new MailHygieneError(
      'DKIM_INVALID_KEY',
      `ed25519-sha256 needs an Ed25519 key, got ${type ?? 'unknown'}`,
      {
        field: 'dkim.privateKey',
      },
    );
  }
  return { key, algorithm };
}
