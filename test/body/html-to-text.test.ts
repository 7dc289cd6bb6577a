import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { convert } from 'html-to-text';
import { describe, expect, it } from 'vitest';
import { contactHtml, newsletterHtml } from '../../bench/fixtures.js';
import { htmlToText } from '../../src/wire/body/html-to-text.js';
import { cases as corpusCases, textInputOf } from '../support/corpus.js';

/** Invariants every output must keep, whatever the input. */
function expectWellFormed(out: string, width = 78, checkWidth = true): void {
  if (out === '') return;
  expect(out.endsWith('\n')).toBe(true);
  expect(out.endsWith('\n\n')).toBe(false);
  expect(out.startsWith('\n')).toBe(false);
  expect(out).not.toMatch(/\n\n\n/);
  expect(out).not.toMatch(/[ \t]\n/);
  expect(out).not.toMatch(/\r/);
  // Blank lines inside quotes are `>`-only; never two of them in a row either.
  expect(out).not.toMatch(/\n>+\n>+\n/);
  for (const line of out.slice(0, -1).split('\n')) {
    if (checkWidth && line.length > width) {
      // Only an unbreakable word (after the prefix) may overflow.
      const body = line.replace(/^(?:> ?|\* |\d+\. | {2})*/, '');
      expect(body, `overlong line: ${JSON.stringify(line)}`).not.toMatch(/ /);
    }
  }
}

describe('htmlToText: elements', () => {
  it('separates paragraphs by one blank line and blocks by a line break', () => {
    expect(htmlToText('<p>eins</p><p>zwei</p><div>drei</div><div>vier</div>')).toBe(
      'eins\n\nzwei\n\ndrei\nvier\n',
    );
  });

  it('turns <br> into a newline and caps consecutive ones at one blank line', () => {
    expect(htmlToText('a<br>b')).toBe('a\nb\n');
    expect(htmlToText('a<br><br>b')).toBe('a\n\nb\n');
    expect(htmlToText('a<br><br><br><br>b')).toBe('a\n\nb\n');
    expect(htmlToText('a<br/>b</br>c')).toBe('a\nb\nc\n');
  });

  it('underlines headings: = for h1, - for the others, as wide as the text', () => {
    expect(htmlToText('<h1>Willkommen</h1><p>Text</p>')).toBe('Willkommen\n==========\n\nText\n');
    expect(htmlToText('<p>x</p><h3>Größe <b>&amp;</b> Preis</h3>y')).toBe(
      'x\n\nGröße & Preis\n-------------\n\ny\n',
    );
    // The underline counts code points, not UTF-16 units.
    expect(htmlToText('<h2>Fest 🎉</h2>')).toBe('Fest 🎉\n------\n');
  });

  it('renders unordered, ordered and nested lists with markers and indentation', () => {
    const html =
      '<ul><li>eins</li><li>zwei<ul><li>a</li><li>b</li></ul></li><li>drei</li></ul>' +
      '<ol start="7"><li>sieben</li><li>acht<ol><li>innen</li></ol></li></ol>';
    expect(htmlToText(html)).toBe(
      '* eins\n* zwei\n  * a\n  * b\n* drei\n\n7. sieben\n8. acht\n   1. innen\n',
    );
  });

  it('closes list items implicitly and indents wrapped item lines', () => {
    expect(htmlToText('<ul><li>a<li>b<li>c</ul>')).toBe('* a\n* b\n* c\n');
    const out = htmlToText(`<ol><li>${'wort '.repeat(30)}</li></ol>`, { wordwrap: 30 });
    const lines = out.trimEnd().split('\n');
    expect(lines[0]!.startsWith('1. wort')).toBe(true);
    for (const l of lines.slice(1)) expect(l.startsWith('   wort')).toBe(true);
  });

  it('writes links as text <url> and leaves out a URL the text already shows', () => {
    expect(htmlToText('<a href="https://example.com/a?x=1&amp;y=2">Hier</a>')).toBe(
      'Hier <https://example.com/a?x=1&y=2>\n',
    );
    expect(htmlToText('<a href="https://example.com/">https://example.com/</a>')).toBe(
      'https://example.com/\n',
    );
    expect(htmlToText('<a href="https://example.com/">https://example.com</a>')).toBe(
      'https://example.com\n',
    );
    // A domain alone is not the URL: keep the target.
    expect(htmlToText('<a href="https://example.com/">example.com</a>')).toBe(
      'example.com <https://example.com/>\n',
    );
    // A link without text shows the URL alone.
    expect(htmlToText('<a href="https://example.com/x"><img src="x.png"></a>')).toBe(
      '<https://example.com/x>\n',
    );
  });

  it('shows mailto targets as the bare address, once', () => {
    expect(htmlToText('<a href="mailto:info@example.com">info@example.com</a>')).toBe(
      'info@example.com\n',
    );
    expect(htmlToText('<a href="MAILTO:info@example.com?subject=Hallo">Schreiben</a>')).toBe(
      'Schreiben <info@example.com>\n',
    );
  });

  it('drops fragment-only, javascript: and data: link targets but keeps their text', () => {
    expect(
      htmlToText(
        '<a href="#top">Nach oben</a> <a href="javascript:alert(1)">Klick</a> <a href="data:text/html,x">D</a>',
      ),
    ).toBe('Nach oben Klick D\n');
  });

  it('never breaks a URL when wrapping', () => {
    const url = `https://example.com/${'segment/'.repeat(15)}end.html`;
    const out = htmlToText(`<p>${'wort '.repeat(14)}<a href="${url}">Link</a> danach</p>`);
    expect(out).toContain(`<${url}>`);
    expectWellFormed(out);
  });

  it('shows images as [alt] and skips images without alt text', () => {
    expect(
      htmlToText('<p>Logo: <img src="l.png" alt="  Beispiel \n GmbH "> <img src="t.gif"></p>'),
    ).toBe('Logo: [Beispiel GmbH]\n');
  });

  it('joins table cells of a row with | and puts each row on its own line', () => {
    const html =
      '<table><tr><th>Artikel</th><th>Preis</th></tr>' +
      '<tr><td>Kaffee</td><td>2,50&nbsp;&euro;</td></tr>' +
      '<tr><td>Tee<td></td><td>1,80 &euro;</table><p>danach</p>';
    expect(htmlToText(html)).toBe('Artikel | Preis\nKaffee | 2,50 €\nTee | 1,80 €\n\ndanach\n');
  });

  it('lets layout cells with block content start their own lines', () => {
    const html = '<table><tr><td><p>Spalte eins</p></td><td><p>Spalte zwei</p></td></tr></table>';
    expect(htmlToText(html)).toBe('Spalte eins\n\nSpalte zwei\n');
  });

  it('draws <hr> as a line of dashes between blank lines', () => {
    expect(htmlToText('oben<hr>unten')).toBe(`oben\n\n${'-'.repeat(78)}\n\nunten\n`);
    expect(htmlToText('oben<hr>unten', { wordwrap: 20 })).toBe(
      `oben\n\n${'-'.repeat(20)}\n\nunten\n`,
    );
  });

  it('keeps <pre> verbatim (minus the first newline and trailing blanks)', () => {
    const html =
      '<p>vorher</p><pre>\n  eingerückt\n\tTab  und  Leerzeichen   \nx &lt; y</pre>nachher';
    expect(htmlToText(html)).toBe(
      'vorher\n\n  eingerückt\n\tTab  und  Leerzeichen\nx < y\n\nnachher\n',
    );
  });

  it('trims <pre> blanks left on a line when the next word wraps (found by the property below)', () => {
    expect(htmlToText('<pre> <a href="https://example.com/x">', { wordwrap: 20 })).toBe(
      '<https://example.com/x>\n',
    );
  });

  it('prefixes blockquotes with > and keeps > on blank lines inside', () => {
    expect(
      htmlToText('<p>Sie schrieben:</p><blockquote><p>eins</p><p>zwei</p></blockquote>ende'),
    ).toBe('Sie schrieben:\n\n> eins\n>\n> zwei\n\nende\n');
    expect(htmlToText('<blockquote>a<blockquote>b</blockquote></blockquote>')).toBe(
      '> a\n>\n> > b\n',
    );
  });

  it('indents definition descriptions', () => {
    expect(htmlToText('<dl><dt>Begriff<dd>Erklärung<dt>Zwei<dd>Noch eine</dl>')).toBe(
      'Begriff\n  Erklärung\nZwei\n  Noch eine\n',
    );
  });

  it('drops script, style, head, title, template and noscript content', () => {
    const html =
      '<html><head><title>Titel</title><style>p { color: red }</style>' +
      '<script>var geheim = 1;</script></head><body><p>sichtbar</p>' +
      '<script type="text/javascript">document.write("nein")</script>' +
      '<template><p>vorlage</p></template><noscript>ohne js</noscript>' +
      '<style>.x{display:none}</style><p>auch sichtbar</p></body></html>';
    expect(htmlToText(html)).toBe('sichtbar\n\nauch sichtbar\n');
  });

  it('ends an unclosed <head> at the first body content, as a browser does', () => {
    expect(htmlToText('<head><meta charset="utf-8"><title>T</title><p>Inhalt</p>')).toBe(
      'Inhalt\n',
    );
    expect(htmlToText('<head><meta charset="utf-8">Text ohne Tag')).toBe('Text ohne Tag\n');
  });

  it('decodes entities in text and attributes', () => {
    expect(
      htmlToText(
        '<p>Gr&uuml;&szlig;e &amp; &#8211; &#x1F389; &lt;tag&gt; &quot;q&quot;</p><img alt="M&uuml;ller &amp; S&ouml;hne">',
      ),
    ).toBe('Grüße & – 🎉 <tag> "q"\n\n[Müller & Söhne]\n');
  });

  it('collapses whitespace like a browser and glues inline elements', () => {
    expect(htmlToText('  a   b\n\n\t c  ')).toBe('a b c\n');
    expect(htmlToText('<b>fett</b>normal <i>kursiv</i> <span> x </span>y')).toBe(
      'fettnormal kursiv x y\n',
    );
    expect(htmlToText('caf&eacute;&nbsp;&nbsp;au&shy;lait')).toBe('café aulait\n');
  });

  it('drops invisible control characters', () => {
    expect(htmlToText('a\u0000b\u0007c &#27;d\u0085e')).toBe('abc de\n');
  });

  it('returns an empty string when nothing is visible', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<style>p{}</style><p> </p><img src="x.gif"><br>')).toBe('');
  });
});

describe('htmlToText: wrapping', () => {
  it('wraps at 78 by default, at the given width, and not at all with false', () => {
    const text = 'Wort '.repeat(100);
    const def = htmlToText(`<p>${text}</p>`);
    // 'Wort' × 15 with spaces is 74 columns; a 16th would make 79.
    expect(Math.max(...def.split('\n').map((l) => l.length))).toBe(74);
    const narrow = htmlToText(`<p>${text}</p>`, { wordwrap: 20 });
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(20);
    expectWellFormed(narrow, 20);
    expect(htmlToText(`<p>${text}</p>`, { wordwrap: false })).toBe(`${text.trim()}\n`);
  });

  it('moves a word glued across inline tags to the next line as a whole', () => {
    const out = htmlToText('aaaa bbbb c<b>cc</b>cc', { wordwrap: 12 });
    expect(out).toBe('aaaa bbbb\nccccc\n');
  });

  it('rejects a nonsensical width', () => {
    expect(() => htmlToText('x', { wordwrap: 0 })).toThrow(RangeError);
    expect(() => htmlToText('x', { wordwrap: Number.NaN })).toThrow(RangeError);
    // @ts-expect-error: not a string
    expect(() => htmlToText(undefined)).toThrow(TypeError);
  });
});

describe('htmlToText: readability of a newsletter', () => {
  const html = newsletterHtml();
  const out = htmlToText(html);

  it('is well formed', () => {
    expectWellFormed(out);
  });

  it('keeps the structure readable: headings, lists, tables, links', () => {
    expect(out).toContain(
      'Neuigkeiten im November – für Sie zusammengestellt\n==================================================\n',
    );
    expect(out).toMatch(/^\d+\. [^\n]+\n-{5,}$/m);
    expect(out).toMatch(/^\* [^\n]+\n {2}\* /m);
    expect(out).toMatch(/^1\. [^\n]+\n2\. /m);
    expect(out).toContain('Artikel | Größe | Preis | Lieferzeit\n');
    expect(out).toMatch(/^> [^\n]+\n> /m);
    expect(out).toContain('[Beispiel GmbH]');
    expect(out).toMatch(
      /Newsletter abbestellen\s<https:\/\/www\.example\.com\/newsletter\/abmelden\?id=abc123&list=nov>/,
    );
    expect(out).toContain('service@example.com');
    expect(out).not.toContain('mailto:');
  });

  it('contains no CSS, script or head text', () => {
    for (const s of ['border-collapse', '@media', 'display:', '{', 'viewport', 'utf-8']) {
      expect(out).not.toContain(s);
    }
    // The <title> is not repeated as body text.
    expect(out).not.toContain('Unser Newsletter im November');
  });
});

describe('htmlToText compared with html-to-text on the newsletter', () => {
  const html = newsletterHtml();
  const ours = htmlToText(html);
  // html-to-text prints image URLs in brackets too; skip images so every
  // bracket it prints is a link target. Headings not upper-cased, so words
  // compare one to one (its upper-casing turns ß into SS).
  const theirs = convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      // Its default block format glues table cells into one word ("SM85,23").
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
        selector,
        options: { uppercase: false },
      })),
    ],
  });
  const theirTargets = [...theirs.matchAll(/\[([^\]\s]+)\]/g)].map((m) => m[1]!);

  it('keeps every link target html-to-text keeps', () => {
    expect(theirTargets.length).toBeGreaterThan(40);
    for (const target of new Set(theirTargets)) expect(ours).toContain(target);
  });

  it('keeps every word of visible text html-to-text shows', () => {
    const words = (s: string) =>
      new Set([...s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]));
    const ourWords = words(ours);
    const theirWords = words(theirs.replace(/\[[^\]\s]+\]/g, ' '));
    expect(theirWords.size).toBeGreaterThan(150);
    const missing = [...theirWords].filter((w) => !ourWords.has(w));
    expect(missing).toEqual([]);
  });

  it('also on the contact-form HTML', () => {
    const c = contactHtml();
    const o = htmlToText(c);
    const t = convert(c, { wordwrap: false });
    for (const m of t.matchAll(/\[([^\]\s]+)\]/g)) expect(o).toContain(m[1]!);
    expectWellFormed(o);
  });
});

describe('htmlToText: properties', () => {
  const word = fc.stringMatching(/^[a-zäöüß]{1,12}$/);
  const piece = fc.oneof(
    word,
    fc.constantFrom(
      ' ',
      '\n',
      '\t',
      '&nbsp;',
      '<p>',
      '</p>',
      '<br>',
      '<div>',
      '</div>',
      '<ul>',
      '<ol>',
      '<li>',
      '</li>',
      '</ul>',
      '</ol>',
      '<blockquote>',
      '</blockquote>',
      '<table>',
      '<tr>',
      '<td>',
      '</td>',
      '</tr>',
      '</table>',
      '<h2>',
      '</h2>',
      '<b>',
      '</b>',
      '<hr>',
      '<a href="https://example.com/x">',
      '</a>',
      '<pre>',
      '</pre>',
      '<dl>',
      '<dt>',
      '<dd>',
    ),
  );

  it('always produces well-formed text that keeps every visible word', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 80 }),
        fc.integer({ min: 20, max: 100 }),
        (pieces, width) => {
          const html = pieces.join(' ');
          const out = htmlToText(html, { wordwrap: width });
          // <pre> is verbatim, never wrapped.
          expectWellFormed(out, width, !pieces.includes('<pre>'));
          const outWords = new Set(out.split(/[^a-zäöüß]+/));
          for (const p of pieces) if (/^[a-zäöüß]+$/.test(p)) expect(outWords.has(p)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('htmlToText: hostile input runs in bounded time', () => {
  /** Generous bound: linear work is milliseconds; quadratic work would be minutes. */
  const LIMIT_MS = 5_000;

  function timed(html: string): { out: string; ms: number } {
    const t0 = performance.now();
    const out = htmlToText(html);
    return { out, ms: performance.now() - t0 };
  }

  const cases: Array<[string, () => string]> = [
    ['100k nested divs', () => '<div>'.repeat(100_000) + 'tief' + '</div>'.repeat(100_000)],
    ['100k unclosed nested divs', () => `${'<div>x'.repeat(100_000)}`],
    ['50k nested lists', () => '<ul><li>'.repeat(50_000) + 'tief'],
    ['50k nested blockquotes', () => `${'<blockquote>q'.repeat(50_000)}`],
    ['50k nested links', () => '<a href="https://e.example/">x'.repeat(50_000)],
    ['20k nested tables', () => '<table><tr><td>z'.repeat(20_000)],
    [
      '100k stray close tags under deep nesting',
      () => '<span>'.repeat(50_000) + '</div>'.repeat(100_000),
    ],
    ['1 MB single line of text', () => `<p>${'wort '.repeat(200_000)}</p>`],
    ['1 MB single word', () => `<p>${'x'.repeat(1_000_000)}</p>`],
    ['1 MB of entities', () => '&amp;&nbsp;&#8211;'.repeat(60_000)],
    ['1 MB attribute', () => `<a href="https://e.example/${'a'.repeat(1_000_000)}">t</a>`],
    ['unclosed script', () => `<p>vorher</p><script>${'x<'.repeat(300_000)}`],
    ['1 MB of <', () => '<'.repeat(1_000_000)],
    ['200k empty paragraphs', () => '<p></p>'.repeat(200_000)],
    ['100k <br>', () => 'a<br>'.repeat(100_000)],
  ];

  for (const [name, make] of cases) {
    it(name, () => {
      const html = make();
      const { out, ms } = timed(html);
      expect(ms).toBeLessThan(LIMIT_MS);
      // Output stays linear in the input (no prefix blow-up with depth).
      expect(out.length).toBeLessThan(html.length * 4 + 1000);
      expectWellFormed(out);
    });
  }

  it('caps the prefix of deeply nested lists and quotes', () => {
    const out = htmlToText(`${'<blockquote>'.repeat(1000)}innen`);
    expect(out).toBe(`${'> '.repeat(12)}innen\n`);
  });

  it('corpus: every body_html case (incl. html-data-uri-redos)', () => {
    const htmlCases = corpusCases.filter((c) => c.field === 'body_html');
    expect(htmlCases.map((c) => c.id)).toContain('html-data-uri-redos');
    for (const c of htmlCases) {
      const html = textInputOf(c)!;
      const { out, ms } = timed(html);
      expect(ms, c.id).toBeLessThan(LIMIT_MS);
      expectWellFormed(out);
      // A data: image is neither a link nor text: nothing of it is shown.
      if (c.id === 'html-data-uri-redos') expect(out).toBe('');
    }
  });
});
