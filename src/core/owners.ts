// Owners (CSMs) in URLs: /owners/<slug>. A slug is the owner's name in lowercase ASCII words joined by "-" (accents
// dropped, anything else a separator); customers without an owner are "unassigned". Two names that make the same
// slug (or a name that makes none, or an owner literally called "Unassigned") get "-2", "-3"… in name order, so every
// owner has one page and the site and the config that lists the pages agree.

export const UNASSIGNED = "Unassigned";

export function slugify(name: string): string {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
}

/** Each owner's slug (null: no owner → "unassigned"), unique across `owners`. */
export function ownerSlugs(owners: Iterable<string | null>): Map<string | null, string> {
  const names = [...new Set(owners)].sort((a, b) => (a === null ? -1 : b === null ? 1 : a.localeCompare(b, "en")));
  const taken = new Set<string>();
  const out = new Map<string | null, string>();
  for (const name of names) {
    const base = name === null ? "unassigned" : slugify(name) || "owner";
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    out.set(name, slug);
  }
  return out;
}
