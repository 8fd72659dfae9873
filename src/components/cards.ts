// Headline figures as cards: a label, a big value, an optional note, linking to the page that explains them.
export interface Card {
  label: string;
  value: string;
  note?: string;
  href?: string;
  tone?: "over" | "under" | "on_track";
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function cards(items: Card[]): HTMLElement {
  const grid = element("div", "grid grid-cols-4 mb-cards");
  for (const c of items) {
    const card = element("a", `card mb-card${c.tone ? ` mb-tone-${c.tone}` : ""}`);
    card.href = c.href ?? "#";
    card.append(element("h2", "", c.label), element("span", "big", c.value));
    if (c.note) card.append(element("p", "muted", c.note));
    grid.append(card);
  }
  return grid;
}
