// The report's stylesheet: A4 pages of a fixed size on screen and one sheet each in print.
import {brandVariables, type DocBranding} from "../../src/core/documents/branding.js";

export function reportCss(b: DocBranding): string {
  return `${brandVariables(b)}
@page { size: A4; margin: 15mm; }
html { background: #e9ebee; }
body { margin: 0; font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1e23; }
.page { --pad: 15mm; position: relative; box-sizing: content-box; width: 180mm; height: 257mm; overflow: hidden; padding: var(--pad) var(--pad) calc(var(--pad) + 9mm); margin: 16px auto; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
@media print { html { background: #fff; } .files { display: none; } .page { --pad: 0mm; margin: 0; box-shadow: none; break-after: page; } .page:last-child { break-after: auto; } }
.masthead { display: flex; gap: 18px; align-items: center; border-bottom: 3px solid var(--primary); padding-bottom: 10px; margin-bottom: 12px; }
.logo { max-height: 48px; max-width: 160px; }
.logo-text { font-weight: 700; font-size: 18px; color: var(--primary); }
h1 { margin: 2px 0; font-size: 26px; color: var(--primary); }
h2 { font-size: 16px; margin: 16px 0 6px; border-bottom: 1px solid #d8dbe0; padding-bottom: 3px; }
h3 { margin: 0; font-size: 11px; font-weight: 600; color: #6b6f76; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .1em; color: #6b6f76; font-size: 11px; }
.sub { margin: 0; font-size: 14px; }
.note { background: color-mix(in srgb, var(--accent) 20%, #fff); border-left: 4px solid var(--accent); padding: 6px 10px; margin: 8px 0; }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.kpis > div { border: 1px solid #d8dbe0; border-top: 3px solid var(--primary); border-radius: 4px; padding: 6px 10px; }
.big { font-size: 19px; font-weight: 700; margin: 2px 0 0; }
.muted { color: #6b6f76; }
.data { width: 100%; border-collapse: collapse; }
.data th, .data td { padding: 3px 6px; border-bottom: 1px solid #e3e5e8; text-align: left; vertical-align: top; }
.data.daily { font-size: 10.5px; } .data.daily td, .data.daily th { padding: 1.5px 5px; } .data.daily td { white-space: nowrap; }
.data tfoot th { border-top: 2px solid #1b1e23; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.pace { font-weight: 700; white-space: nowrap; }
.pace-over { color: #b4460f; } .pace-under { color: #2a6fa8; } .pace-on_track { color: #1a7f45; }
.notes { padding-left: 1.2em; margin: 6px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.spark { margin-bottom: 4px; } .spark-label { display: flex; justify-content: space-between; }
svg { display: block; }
.foot { position: absolute; left: var(--pad); right: var(--pad); bottom: var(--pad); display: flex; justify-content: space-between; gap: 16px; font-size: 9.5px; color: #6b6f76; border-top: 1px solid #d8dbe0; padding-top: 4px; }
`;
}
