/** README's "Why reject, not strip" shows real output: every JSON block there is what the code returns now. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { contactForm } from '../../src/tools/form/index.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## Why reject, not strip');
const doc = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

async function refusal(input: Parameters<typeof compose>[0]): Promise<string> {
  try {
    await compose(input);
  } catch (e) {
    if (!(e instanceof MailHygieneError)) throw e;
    const { name, code, field, codePoint, message } = e;
    return JSON.stringify({ name, code, field, codePoint, message }, null, 2);
  }
  throw new Error('compose() accepted the input');
}

describe('README: Why reject, not strip', () => {
  it('has the section', () => {
    expect(start).toBeGreaterThan(0);
  });

  it('quotes the errors compose() and contactForm() really produce', async () => {
    const site = { from: 'Website <noreply@example.com>', text: 'x' };
    const subjectError = await refusal({
      ...site,
      to: 'support@example.com',
      subject: 'Hello\r\nBcc: victim@example.net',
    });
    const addressError = await refusal({
      ...site,
      to: 'victim@example.com\r\nBcc: evil@x.com',
      subject: 'Hi',
    });
    const form = contactForm({ to: 'Support <support@example.com>', from: site.from });
    const formResult = JSON.stringify(
      await form.handle({
        name: 'Eve',
        email: 'eve@example.org',
        subject: 'Hello\r\nBcc: victim@example.net',
        message: 'Hi',
      }),
      null,
      2,
    );
    expect(blocks).toEqual([subjectError, addressError, formResult]);
  });
});
