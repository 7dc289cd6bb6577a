/**
 * Deterministic benchmark inputs, shaped like the perf anchors
 * (../shared/research/perf-anchors.md): a contact-form message (~2 KB German
 * text, ~6 KB HTML, subject "Schöne Grüße – Ihre Anfrage 🎉 #1234"), a
 * ~60 KB newsletter (headings, lists, tables, links, images) and a 20 MiB
 * attachment. Same bytes on every run and every machine: a seeded PRNG, no
 * clock, no randomness from the platform.
 */
import { Readable } from 'node:stream';
import type { MessageInput } from '../src/compose/types.js';

/** mulberry32: tiny, fast, good enough to vary the text deterministically. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'und der die das für mit über Größe Grüße schön Bestellung Anfrage Lieferung ' +
  'Rückfragen gern möglich Straße Öffnungszeiten Kunde Kundin Angebot Preis ' +
  'Termin Woche Monat Jahr heute morgen Büro Mitarbeiter Team freundlich ' +
  'Unterstützung Lösung Frage Antwort Rechnung Zahlung Überweisung Konto ' +
  'Vertrag Kündigung Änderung Adresse Telefon Nachricht wir Sie Ihre unsere ' +
  'bitte danke vielen herzlich bald gleich schnell einfach sicher zuverlässig ' +
  'Qualität Service Produkt Artikel Größen Farben Menge Versand kostenlos ' +
  'ab bis von zu im am auf aus bei nach seit während wegen trotz ohne gegen ' +
  'natürlich übrigens außerdem jedoch deshalb trotzdem später früher Ärger ' +
  'Gebühr Fußball Käse Müsli Brötchen Frühstück Mittagessen Übernachtung'
).split(' ');

function sentence(rnd: () => number, minWords: number, maxWords: number): string {
  const n = minWords + Math.floor(rnd() * (maxWords - minWords + 1));
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(WORDS[Math.floor(rnd() * WORDS.length)]!);
  const s = parts.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + (rnd() < 0.15 ? '?' : '.');
}

function paragraph(rnd: () => number, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rnd, 6, 16));
  return out.join(' ');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const CONTACT_SUBJECT = 'Schöne Grüße – Ihre Anfrage 🎉 #1234';

let contactTextCache: string | undefined;
/** ~2 KB of German plain text in paragraphs (long lines, as a form posts them). */
export function contactText(): string {
  if (contactTextCache !== undefined) return contactTextCache;
  const rnd = prng(1234);
  const paras = ['Sehr geehrte Damen und Herren,'];
  let text = '';
  while (text.length < 1900) {
    paras.push(paragraph(rnd, 4));
    text = paras.join('\n\n');
  }
  paras.push('Mit freundlichen Grüßen\nJürgen Weiß');
  contactTextCache = paras.join('\n\n');
  return contactTextCache;
}

let contactHtmlCache: string | undefined;
/** ~6 KB of HTML mail (inline styles, a table of the form fields, links). */
export function contactHtml(): string {
  if (contactHtmlCache !== undefined) return contactHtmlCache;
  const rnd = prng(5678);
  const p =
    'style="margin:0 0 12px 0;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#333333"';
  let body = `<h2 style="font-family:Arial,sans-serif;color:#004080">${escapeHtml(CONTACT_SUBJECT)}</h2>\n`;
  body += `<table role="presentation" cellpadding="4" cellspacing="0" border="0" style="border-collapse:collapse">\n`;
  for (const [k, v] of [
    ['Name', 'Jürgen Weiß'],
    ['E-Mail', '<a href="mailto:juergen.weiss@example.org">juergen.weiss@example.org</a>'],
    ['Telefon', '+49 30 1234567'],
    ['Betreff', 'Anfrage zur Bestellung #1234'],
  ] as const) {
    body += `<tr><th align="left" style="color:#666666">${k}</th><td>${v}</td></tr>\n`;
  }
  body += '</table>\n';
  while (body.length < 5600) {
    body += `<p ${p}>${escapeHtml(paragraph(rnd, 3))} <a href="https://www.example.com/hilfe/faq-${Math.floor(rnd() * 1000)}" style="color:#0066cc">Mehr erfahren</a></p>\n`;
  }
  contactHtmlCache =
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Kontakt</title>' +
    '<style>body{margin:0}p{line-height:1.4}</style></head>\n<body>\n' +
    body +
    '<p style="font-size:12px;color:#999999">Diese Nachricht wurde über das Kontaktformular gesendet.</p>\n</body></html>\n';
  return contactHtmlCache;
}

/** The contact-form message: text and HTML given, umlaut display names. */
export function contactMessage(): MessageInput {
  return {
    from: { name: 'Kontaktformular Müller & Söhne', address: 'kontakt@example.com' },
    to: 'vertrieb@example.com',
    replyTo: { name: 'Jürgen Weiß', address: 'juergen.weiss@example.org' },
    subject: CONTACT_SUBJECT,
    text: contactText(),
    html: contactHtml(),
    date: new Date('2026-11-29T12:00:00Z'),
  };
}

export const NEWSLETTER_SUBJECT = 'Unser Newsletter im November – Neuigkeiten, Angebote & Termine';

let newsletterCache: string | undefined;
/**
 * ~60 KB newsletter HTML (60,553 bytes of UTF-8): head with CSS,
 * layout tables, logo and product images, h1/h2/h3, paragraphs with links,
 * ul/ol lists, price tables, blockquote, hr, footer with mailto and
 * unsubscribe links, and entities.
 */
export function newsletterHtml(): string {
  if (newsletterCache !== undefined) return newsletterCache;
  const rnd = prng(4242);
  const txt = (n: number) => escapeHtml(paragraph(rnd, n));
  const cell =
    'style="padding:8px 12px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#333333"';
  let html =
    '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(NEWSLETTER_SUBJECT)}</title>\n<style type="text/css">\n` +
    'body{margin:0;padding:0;background:#f4f4f4}table{border-collapse:collapse}\n' +
    '.btn a{display:inline-block;padding:10px 18px;background:#0066cc;color:#ffffff}\n' +
    '@media only screen and (max-width:600px){.col{display:block!important;width:100%!important}}\n' +
    '</style>\n</head>\n<body>\n' +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4"><tr><td align="center">\n' +
    '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">\n' +
    `<tr><td ${cell}><a href="https://www.example.com/?utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=2026-11"><img src="https://cdn.example.com/img/logo.png" width="180" height="40" alt="Beispiel GmbH" border="0"></a></td>` +
    `<td ${cell} align="right"><a href="https://www.example.com/newsletter/2026-11/web">Im Browser ansehen</a></td></tr>\n` +
    `<tr><td colspan="2" ${cell}><a href="https://www.example.com/shop">Shop</a> &middot; <a href="https://www.example.com/angebote">Angebote</a> &middot; <a href="https://www.example.com/termine">Termine</a> &middot; <a href="https://www.example.com/kontakt">Kontakt</a></td></tr>\n` +
    `<tr><td colspan="2" ${cell}>\n<h1 style="font-size:26px;color:#004080">Neuigkeiten im November &ndash; für Sie zusammengestellt</h1>\n` +
    `<p>Liebe Leserinnen und Leser,</p>\n<p>${txt(4)}</p>\n`;

  let section = 0;
  while (Buffer.byteLength(html) < 58_700) {
    section++;
    html += `<h2 style="font-size:20px;color:#004080">${section}. ${escapeHtml(sentence(rnd, 3, 6)).replace(/[.?]$/, '')}</h2>\n`;
    html += `<p>${txt(3)} <a href="https://www.example.com/artikel/${section}?utm_source=newsletter&amp;utm_medium=email">Weiterlesen &raquo;</a></p>\n`;
    html += `<p><img src="https://cdn.example.com/img/artikel-${section}.jpg" width="560" height="280" alt="Bild zu Artikel ${section}" style="display:block;max-width:100%"></p>\n`;
    switch (section % 4) {
      case 0:
        html += '<ul>\n';
        for (let i = 0; i < 4; i++) {
          html += `  <li>${escapeHtml(sentence(rnd, 4, 9))}`;
          if (i === 1) {
            html += `\n    <ul><li>${escapeHtml(sentence(rnd, 3, 6))}</li><li>${escapeHtml(sentence(rnd, 3, 6))}</li></ul>\n  `;
          }
          html += '</li>\n';
        }
        html += '</ul>\n';
        break;
      case 1: {
        html += `<h3>Preise &amp; Verfügbarkeit</h3>\n<table class="prices" cellpadding="4" cellspacing="0" border="1" style="border-color:#dddddd">\n<tr><th>Artikel</th><th>Größe</th><th>Preis</th><th>Lieferzeit</th></tr>\n`;
        for (let i = 0; i < 5; i++) {
          const price = (5 + Math.floor(rnd() * 9500) / 100).toFixed(2).replace('.', ',');
          html += `<tr><td><a href="https://www.example.com/shop/artikel-${section}-${i}">${escapeHtml(WORDS[Math.floor(rnd() * WORDS.length)]!)} ${section}-${i}</a></td><td>${['S', 'M', 'L', 'XL'][i % 4]}</td><td>${price}&nbsp;&euro;</td><td>${1 + (i % 3)}&ndash;${3 + (i % 3)} Tage</td></tr>\n`;
        }
        html += '</table>\n';
        break;
      }
      case 2:
        html += '<ol>\n';
        for (let i = 0; i < 5; i++) html += `  <li>${escapeHtml(sentence(rnd, 4, 10))}</li>\n`;
        html += '</ol>\n';
        html += `<blockquote style="border-left:3px solid #cccccc;padding-left:12px">${txt(2)}<br>&mdash; Kundin aus Köln</blockquote>\n`;
        break;
      case 3:
        html += `<table role="presentation" width="100%"><tr><td class="col" width="50%" ${cell}><p>${txt(2)}</p></td><td class="col" width="50%" ${cell}><p>${txt(2)}</p></td></tr></table>\n`;
        html += `<p class="btn"><a href="https://www.example.com/aktion/${section}" style="background:#0066cc;color:#ffffff;padding:10px 18px;text-decoration:none">Jetzt ansehen</a></p>\n`;
        break;
    }
    html += `<p>${txt(2)}</p>\n<hr style="border:0;border-top:1px solid #eeeeee">\n`;
  }
  html +=
    `</td></tr>\n<tr><td colspan="2" ${cell} style="font-size:12px;color:#888888">\n` +
    '<p>Beispiel GmbH &middot; Musterstraße 1 &middot; 10115 Berlin &middot; Geschäftsführer: Max Müller</p>\n' +
    '<p>Fragen? Schreiben Sie uns an <a href="mailto:service@example.com">service@example.com</a> oder rufen Sie an: <a href="tel:+49301234567">030&nbsp;1234567</a>.</p>\n' +
    '<p>Sie erhalten diese E-Mail, weil Sie sich für unseren Newsletter angemeldet haben. <a href="https://www.example.com/newsletter/abmelden?id=abc123&amp;list=nov">Newsletter abbestellen</a> &middot; <a href="https://www.example.com/datenschutz">Datenschutz</a> &middot; <a href="https://www.example.com/impressum">Impressum</a></p>\n' +
    '<img src="https://track.example.com/open.gif?id=abc123" width="1" height="1" alt="" style="display:block">\n' +
    '</td></tr>\n</table>\n</td></tr></table>\n</body></html>\n';
  newsletterCache = html;
  return html;
}

/** Newsletter message; pass `text` for the "text given" scenario. */
export function newsletterMessage(text?: string): MessageInput {
  const msg: MessageInput = {
    from: { name: 'Beispiel GmbH Newsletter', address: 'newsletter@example.com' },
    to: 'leserin@example.org',
    subject: NEWSLETTER_SUBJECT,
    html: newsletterHtml(),
    date: new Date('2026-11-29T12:00:00Z'),
    listUnsubscribe: {
      url: 'https://www.example.com/newsletter/abmelden?id=abc123',
      oneClick: true,
    },
  };
  if (text !== undefined) msg.text = text;
  return msg;
}

export const ATTACHMENT_SIZE = 20 * 1024 * 1024;

let attachmentCache: Buffer | undefined;
/** 20 MiB of incompressible pseudo-random bytes (xorshift32), built once. */
export function attachmentBuffer(): Buffer {
  if (attachmentCache !== undefined) return attachmentCache;
  const buf = Buffer.allocUnsafe(ATTACHMENT_SIZE);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, ATTACHMENT_SIZE / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  attachmentCache = buf;
  return buf;
}

/** The same bytes as a Readable, in `chunkSize` pieces (64 KiB, like fs streams). */
export function attachmentReadable(chunkSize = 64 * 1024): Readable {
  const buf = attachmentBuffer();
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= buf.length) {
        this.push(null);
        return;
      }
      const end = Math.min(offset + chunkSize, buf.length);
      this.push(buf.subarray(offset, end));
      offset = end;
    },
  });
}

/** A message with the 20 MiB attachment (Buffer or Readable content). */
export function attachmentMessage(kind: 'buffer' | 'readable'): MessageInput {
  return {
    from: { name: 'Berichte', address: 'reports@example.com' },
    to: 'archiv@example.org',
    subject: 'Monatsbericht November (Anhang 20 MiB)',
    text: 'Im Anhang der Monatsbericht.\n',
    attachments: [
      {
        filename: 'bericht-2026-11.bin',
        contentType: 'application/octet-stream',
        content: kind === 'buffer' ? attachmentBuffer() : attachmentReadable(),
      },
    ],
    date: new Date('2026-11-29T12:00:00Z'),
  };
}
