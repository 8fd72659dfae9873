// The company's branding as documents carry it (config `branding`): the logo file read once into a data: URL, so a
// report or deck is one self-contained file and the site's deck page needs no extra asset.
import {readFileSync} from "node:fs";
import {extname, resolve} from "node:path";
import type {DocBranding} from "../../src/core/documents/branding.js";
import type {Branding} from "../config.js";
import {InputError} from "../errors.js";

const MIME: Record<string, string> = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif"};

/** `branding.logo` is a path relative to `cwd` (the project root for the site). */
export function docBranding(b: Branding, cwd = process.cwd()): DocBranding {
  let logo: string | null = null;
  if (b.logo) {
    const path = resolve(cwd, b.logo);
    const mime = MIME[extname(path).toLowerCase()];
    if (!mime) throw new InputError(`branding.logo ${path}: use an .svg, .png, .jpg, .webp or .gif file`);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new InputError(`branding.logo ${path}: file not found`);
    }
    logo = `data:${mime};base64,${bytes.toString("base64")}`;
  }
  return {companyName: b.companyName, logo, primaryColor: b.primaryColor, accentColor: b.accentColor, footer: b.footer};
}
