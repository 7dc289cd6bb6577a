// Type-checked against the installed package (never run): ESM under moduleResolution
// node16 and bundler. A wrong or missing declaration fails `tsc --noEmit`, and so do
// the expected errors below if the types degrade to `any`.
import {
  type ComposedMessage,
  compose,
  createMailer,
  type Finding,
  type LintReport,
  lint,
  MailHygieneError,
  type MessageInput,
  memoryTransport,
  repair,
} from 'mailhygiene';

const input: MessageInput = {
  from: { name: 'Jürgen Müller', address: 'juergen@example.com' },
  to: ['erika@example.org'],
  subject: 'Grüße',
  html: '<p>Hallo</p>',
};

export async function usage(): Promise<string[]> {
  const message: ComposedMessage = await compose(input, { envelopeFrom: 'bounces@example.com' });
  const report: LintReport = lint(message.raw, { now: new Date(0), envelope: message.envelope });
  const rules: string[] = report.findings.map((f: Finding) => f.rule);
  const transport = memoryTransport();
  await createMailer({ transport, envelopeFrom: 'bounces@example.com' }).send(input);
  const fixed = await repair(message.raw, { now: () => new Date(0) });
  rules.push(...fixed.applied.map((f) => f.rule), transport.messages[0]!.envelope.from);
  try {
    await compose({ ...input, subject: 'x\r\nBcc: eve@example.net' });
  } catch (e) {
    if (e instanceof MailHygieneError) rules.push(e.code, e.field ?? '');
  }
  // @ts-expect-error subject is a string
  await compose({ ...input, subject: 42 });
  // @ts-expect-error a lint report's errors is a number
  const wrong: string = report.errors;
  return [...rules, wrong];
}
