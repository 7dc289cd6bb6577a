/** contactForm() and its parts. */

export { contactForm } from './contact-form.js';
export {
  checkVisitorAddress,
  contactEmailSchema,
  contactMessageSchema,
  contactNameSchema,
  contactSubjectSchema,
  DEFAULT_MAX_LENGTH,
} from './fields.js';
export { FORBIDDEN_FORM_FIELDS, isForbiddenFormField } from './forbidden.js';
export { isMixedScriptLabel, mixedScriptLabel, wholeScriptConfusableLabel } from './script.js';
export type {
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormErrorCode,
  ContactFormResult,
  ContactMailer,
} from './types.js';
