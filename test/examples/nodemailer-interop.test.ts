/** The nodemailer interop example: nodemailer carries our bytes unchanged. */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  refusedBeforeNodemailer,
  sendThroughNodemailerStream,
  sendWithMailerOverJson,
} from '../../examples/nodemailer-interop.js';

describe('nodemailer interop example', () => {
  it('streamTransport carries exactly the composed bytes and our envelope', async () => {
    const r = await sendThroughNodemailerStream();
    expect(r.carried.equals(r.composed)).toBe(true);
    expect(r.envelope).toEqual({ from: 'bounces@example.com', to: ['erika@example.org'] });
    const parsed = await simpleParser(r.carried);
    expect(parsed.subject).toBe('Ihre Bestellung ist unterwegs 📦');
    expect(parsed.text).toContain('Sendung verfolgen');
  });
  it('createMailer over a jsonTransport reports every recipient accepted', async () => {
    const sent = await sendWithMailerOverJson();
    expect(sent.accepted).toEqual(['erika@example.org', 'max@example.net']);
    expect(sent.envelope.from).toBe('bounces@example.com');
  });
  it('an injected recipient is refused before nodemailer sees it', async () => {
    expect(await refusedBeforeNodemailer()).toMatchObject({ code: 'INVALID_ADDRESS', field: 'to' });
  });
});
