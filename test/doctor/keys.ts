/** Keys for the doctor zones, generated once per test file. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Keys } from '../fixtures/dns/zones.js';

const txtOf = (publicKey: KeyObject): string =>
  `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

export function makeKeys(): Keys {
  const main = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    txt: txtOf(main.publicKey),
    otherTxt: txtOf(other.publicKey),
    smallTxt: txtOf(small.publicKey),
    privatePem: main.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
