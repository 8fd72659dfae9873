// The deck's stylesheet: on screen one scaled slide at a time (with the script), in print one 1280×720 slide per
// page. `scope` prefixes every rule, so the site's /qbr page can carry it without touching the rest of the page.
import {brandVariables, type DocBranding} from "../documents/branding.js";

/** Deck styles: screen shows one scaled slide at a time (with the script), print one 1280×720 slide per page. */
export function deckCss(b: DocBranding, scope = ""): string {
  const s = (rule: string) => rule.split("\n").map((line) => (line && !line.startsWith("@") && !line.startsWith("}") && scope ? `${scope} ${line}` : line)).join("\n");
  return `${brandVariables(b, scope || ":root")}
${s(`.mb-deck { font: 18px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1e23; }
.mb-deck .slide { position: relative; box-sizing: border-box; width: 1280px; height: 720px; overflow: hidden; background: #fff; padding: 40px 56px 56px; display: flex; flex-direction: column; margin: 0 auto 24px; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
.mb-deck .slide-head { display: flex; justify-content: space-between; align-items: center; border-bottom: 3px solid var(--primary); padding-bottom: 10px; margin-bottom: 20px; }
.mb-deck .slide-head h2 { margin: 0; font-size: 34px; color: #1b1e23; }
.mb-deck .slide-body { flex: 1; min-height: 0; overflow: hidden; }
.mb-deck .slide-foot { position: absolute; left: 56px; right: 56px; bottom: 16px; display: flex; justify-content: space-between; font-size: 13px; color: #6b6f76; }
.mb-deck .logo { max-height: 44px; max-width: 220px; }
.mb-deck .logo-text { font-weight: 700; font-size: 20px; color: var(--primary); }
.mb-deck .title-slide { justify-content: center; background: linear-gradient(135deg, #fff 60%, color-mix(in srgb, var(--primary) 14%, #fff)); }
.mb-deck .title-brand { position: absolute; top: 40px; left: 56px; }
.mb-deck .title-main h1 { font-size: 64px; margin: 8px 0; color: var(--primary); max-width: 1100px; }
.mb-deck .kicker { text-transform: uppercase; letter-spacing: .12em; color: #6b6f76; margin: 0; }
.mb-deck .sub { font-size: 24px; margin: 0; }
.mb-deck .cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; margin-bottom: 20px; }
.mb-deck .card { border: 1px solid #d8dbe0; border-top: 4px solid var(--primary); border-radius: 6px; padding: 12px 16px; }
.mb-deck .card h3 { margin: 0; font-size: 15px; color: #6b6f76; font-weight: 600; }
.mb-deck .big { font-size: 32px; font-weight: 700; margin: 4px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.mb-deck .muted { color: #6b6f76; margin: 0; font-size: 15px; }
.mb-deck .small { font-size: 13px; }
.mb-deck .data { width: 100%; border-collapse: collapse; font-size: 16px; }
.mb-deck .data th, .mb-deck .data td { padding: 5px 8px; border-bottom: 1px solid #e3e5e8; text-align: left; }
.mb-deck .num { text-align: right !important; font-variant-numeric: tabular-nums; }
.mb-deck .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
.mb-deck .tick { display: inline-block; width: 2px; height: 14px; background: #1b1e23; margin: 0 6px 0 14px; vertical-align: middle; }
.mb-deck .line { display: inline-block; width: 22px; border-top: 3px solid; margin: 0 6px 4px 10px; vertical-align: middle; }
.mb-deck .line.dashed { border-top-style: dashed; }
.mb-deck .legend { font-size: 13px; color: #444; margin: 6px 0 0; }
.mb-deck .legend span { white-space: nowrap; margin-right: 10px; }
.mb-deck .lead { font-size: 21px; margin: 0 0 18px; }
.mb-deck .commit { margin-bottom: 16px; }
.mb-deck .commit-line { display: flex; justify-content: space-between; gap: 12px; font-size: 16px; }
.mb-deck .meter { position: relative; height: 18px; background: #eceef1; border-radius: 4px; margin: 4px 0; }
.mb-deck .meter-used { position: absolute; left: 0; top: 0; bottom: 0; background: var(--primary); border-radius: 4px; }
.mb-deck .meter-time { position: absolute; top: -4px; bottom: -4px; width: 2px; background: #1b1e23; }
.mb-deck .pace { font-weight: 700; }
.mb-deck .pace-over { color: #b4460f; }
.mb-deck .pace-under { color: #2a6fa8; }
.mb-deck .pace-on_track { color: #1a7f45; }
.mb-deck .two { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.mb-deck .two.forecast { grid-template-columns: 780px 1fr; }
.mb-deck .two h3 { margin: 0 0 6px; font-size: 16px; }
.mb-deck .spark { margin-bottom: 4px; }
.mb-deck .spark-label { display: flex; justify-content: space-between; font-size: 14px; }
.mb-deck .facts p { display: flex; flex-direction: column; margin: 0 0 14px; font-size: 22px; }
.mb-deck .facts .muted { font-size: 14px; }
.mb-deck .facts p.small { font-size: 13px; }
.mb-deck .rec-title { font-size: 36px; color: var(--primary); margin: 10px 0 24px; }
.mb-deck .rec { font-size: 24px; line-height: 1.45; padding-left: 1.2em; max-width: 1080px; }
.mb-deck .rec li { margin-bottom: 14px; }
.mb-deck svg { display: block; overflow: hidden; }
.mb-deck.present .slide { display: none; margin: 0; }
.mb-deck.present .slide.current { display: flex; }
`)}@page { size: 1280px 720px; margin: 0; }
@media print {
${s(`.mb-deck .slide, .mb-deck.present .slide { display: flex; margin: 0; box-shadow: none; break-after: page; break-inside: avoid; transform: none !important; }
.mb-deck .slide:last-child { break-after: auto; }
`)}}
`;
}
