/**
 * Random identifiers (boundaries, Message-IDs) from a pooled CSPRNG buffer:
 * one `randomFillSync` per 4 KiB instead of one system call per message.
 * The bytes are as unpredictable as `randomBytes(n)`; each is handed out once.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let offset = POOL_SIZE;

function take(n: number): number {
  if (n > POOL_SIZE) throw new RangeError('random: at most 4096 bytes at a time');
  if (offset + n > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const at = offset;
  offset += n;
  return at;
}

/**
 * `n` random bytes as lower-case hex.
 *
 * @example randomHex(12) // '9f3c…' (24 characters)
 */
export function randomHex(n: number): string {
  const at = take(n);
  return pool.toString('hex', at, at + n);
}

/** `n` random bytes as base64url (no padding). */
export function randomBase64url(n: number): string {
  const at = take(n);
  return pool.toString('base64url', at, at + n);
}
