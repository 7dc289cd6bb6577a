/**
 * The tools floor: the contact form, doctor and the command-line programs.
 * Imports every floor below.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */

export type {
  CheckStatus,
  DnsLike,
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  ResolverOptions,
} from './doctor/index.js';
export { doctor, formatReport } from './doctor/index.js';
export type {
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormErrorCode,
  ContactFormResult,
  ContactMailer,
} from './form/index.js';
export {
  checkVisitorAddress,
  contactEmailSchema,
  contactForm,
  contactMessageSchema,
  contactNameSchema,
  contactSubjectSchema,
  DEFAULT_MAX_LENGTH,
  FORBIDDEN_FORM_FIELDS,
  isForbiddenFormField,
} from './form/index.js';
