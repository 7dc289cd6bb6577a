/** Hand-written CRLF wire-format messages, as the composer produces them. */
import { crlf } from './helpers.js';

export const textMessage = crlf([
  'From: Erika Mustermann <erika@example.com>',
  'To: Max <max@example.org>',
  'Subject: Quarterly report',
  'Date: Sun, 29 Nov 2026 13:40:00 +0000',
  'Message-ID: <20261129134000.a1b2@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 7bit',
  '',
  'Hello Max,',
  '',
  'the report is attached.   Trailing spaces here:   ',
  '\tTabbed line',
  '',
  '',
  '',
]);

const attachment = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))
  .toString('base64')
  .match(/.{1,76}/g) as string[];

export const multipartMessage = crlf([
  'From: "Shop, Inc." <orders@shop.example.com>',
  'To: a@example.org, b@example.net',
  'Cc: c@example.org',
  'Reply-To: support@shop.example.com',
  'Subject: Your invoice',
  'Date: Sun, 29 Nov 2026 13:40:00 +0000',
  'Message-ID: <inv-42@shop.example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="=_mix_0123"',
  'List-Unsubscribe: <https://shop.example.com/u/42>, <mailto:u@shop.example.com>',
  'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
  '',
  '--=_mix_0123',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=C3=BC=C3=9Fe,',
  'your invoice is attached.',
  '',
  '--=_mix_0123',
  'Content-Type: application/octet-stream; name="invoice.bin"',
  'Content-Disposition: attachment; filename="invoice.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  ...attachment,
  '',
  '--=_mix_0123--',
  '',
]);

const longWord = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(20);
const qpLines = (longWord.match(/.{1,75}/g) as string[]).map((l) => `${l}=`);
qpLines.push('end of the long paragraph.');

export const longQpMessage = crlf([
  'From: news@example.com',
  'To: reader@example.org',
  'Subject: Long lines',
  'Date: Sun, 29 Nov 2026 13:40:00 +0000',
  'Message-ID: <long@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  ...qpLines,
  '',
]);

export const foldedHeadersMessage = crlf([
  'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=',
  ' <juergen@example.com>',
  'To: One <one@example.org>, Two <two@example.org>,',
  '\tThree <three@example.org>, Four <four@example.org>',
  'To: Five <five@example.org>',
  'Subject: =?UTF-8?Q?a_long_subject_that_was_folded_by_the_composer_becaus?=',
  ' =?UTF-8?Q?e_it_is_longer_than_seventy-eight_octets?=',
  'Date: Sun, 29 Nov 2026 13:40:00 +0000',
  'Message-ID: <folded@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=us-ascii',
  '',
  'Body without a final line break',
]);
