// Type-checked against the installed package (never run): CommonJS under
// moduleResolution node16 resolves the "require" types (dist/index.d.cts).
import mailhygiene = require('mailhygiene');

export async function usage(): Promise<number> {
  const message = await mailhygiene.compose({
    from: 'shop@example.com',
    to: 'erika@example.org',
    subject: 'Bestellung',
    text: 'Danke.',
  });
  // @ts-expect-error lint takes bytes or a string
  mailhygiene.lint(42);
  return mailhygiene.lint(message.raw).errors;
}
