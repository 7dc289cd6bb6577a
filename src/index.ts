export { MailHygieneError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type * from './types.js';
export type { Options, DkimOptions, Policy } from './policy.js';
