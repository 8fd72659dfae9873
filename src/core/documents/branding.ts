// What customer documents (monthly reports, QBR decks) show of the company sending them, and the markup both draw
// from it: the logo (or the name where there is none) and the brand colours, checked before they reach CSS.
import {esc} from "../escape.js";

/** Config `branding`, the logo already a data: URL. */
export interface DocBranding {
  companyName: string;
  logo: string | null;
  primaryColor: string;
  accentColor: string;
  footer: string;
}

export function logoHtml(b: DocBranding): string {
  return b.logo ? `<img class="logo" src="${esc(b.logo)}" alt="${esc(b.companyName)}">` : `<span class="logo-text">${esc(b.companyName)}</span>`;
}

/** A colour a stylesheet may carry (hex, a name, rgb/rgba): anything else falls back, so config cannot inject CSS. */
export function safeColor(value: string, fallback: string): string {
  return /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\([0-9., %]+\))$/.test(value) ? value : fallback;
}

/** `:root`'s (or a scope's) brand variables: `--primary` and `--accent`. */
export function brandVariables(b: DocBranding, selector = ":root"): string {
  return `${selector} { --primary: ${safeColor(b.primaryColor, "#4269d0")}; --accent: ${safeColor(b.accentColor, "#efb118")}; }`;
}
