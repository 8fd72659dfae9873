// The deck as one standalone HTML file: inline style and script, charts as inline SVG, nothing to fetch.
import {esc} from "../escape.js";
import type {DocBranding} from "../documents/branding.js";
import {deckCss} from "./css.js";
import type {DeckData} from "./data.js";
import {DECK_SCRIPT} from "./script.js";
import {renderDeck} from "./slides.js";

/** A standalone deck page: inline style and script, nothing to fetch. */
export function deckDocument(d: DeckData, b: DocBranding, document: Document): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.customer.name)} · ${esc(d.period.label)} business review</title>
<style>html, body { margin: 0; background: #e9ebee; } body { padding: 0; } @media print { html, body { background: #fff; } }
${deckCss(b)}</style></head>
<body><div class="mb-deck" data-fill="window">
${renderDeck(d, b, document)}
</div><script>${DECK_SCRIPT}</script></body></html>
`;
}
