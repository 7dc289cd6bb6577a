// Minimal typings for html-to-text 10 (a dev dependency without bundled types;
// @types/html-to-text is not installed). Only what the bench and tests call.
declare module 'html-to-text' {
  export interface HtmlToTextOptions {
    wordwrap?: number | false | null;
    selectors?: Array<{ selector: string; format?: string; options?: Record<string, unknown> }>;
    [key: string]: unknown;
  }
  export function convert(html: string, options?: HtmlToTextOptions): string;
  export function compile(options?: HtmlToTextOptions): (html: string) => string;
}
