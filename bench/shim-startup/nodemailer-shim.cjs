#!/usr/bin/env node
// The comparison for bench/shim-startup.ts: the smallest sendmail shim one
// would write on nodemailer's MailComposer. It reads stdin, splits headers
// from body naively (no repair, no checks), builds the message with
// MailComposer and writes it to a file in $SHIM_OUT_DIR.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const MailComposer = require('nodemailer/lib/mail-composer');

const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 2);
  const headers = {};
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const mail = new MailComposer({
    from: headers.from,
    to: headers.to,
    subject: headers.subject,
    text: body,
  });
  mail.compile().build((err, message) => {
    if (err) {
      process.stderr.write(`${err.message}\n`);
      process.exit(70);
    }
    writeFileSync(join(process.env.SHIM_OUT_DIR, `${process.pid}-${Date.now()}.eml`), message);
  });
});
