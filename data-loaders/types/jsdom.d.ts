// The part of jsdom Meterbook uses (a Document for Plot to draw SVG into at build time); jsdom ships no types and
// @types/jsdom would be one more package for one constructor.
declare module "jsdom" {
  export class JSDOM {
    constructor(html?: string);
    readonly window: {document: Document};
  }
}
