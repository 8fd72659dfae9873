// The deck's last slide: what to do next, driven by the primary commitment's pace.
import {esc} from "../escape.js";
import {longDate, money} from "../format.js";
import {addDays, daysBetween} from "../periods.js";
import type {Commit, DeckData} from "./data.js";

export function recommendation(d: DeckData, c: Commit | undefined): string {
  const ct = d.creditTypes;
  if (!c || !c.days || !c.end_date) {
    return `<h3 class="rec-title">Plan your next commitment together</h3>
<ul class="rec"><li>A commitment gives you a predictable budget and better rates for the usage you already have.</li>
<li>We can size one from your recent usage and the projects you have planned.</li></ul>`;
  }
  const ends = longDate(addDays(c.end_date, -1));
  const projectedPct = c.projected_end_minor !== null && c.amount_minor ? (100 * c.projected_end_minor) / c.amount_minor : null;
  if (c.status === "over") {
    const early = c.exhaustion_date ? daysBetween(c.exhaustion_date, c.end_date) : null;
    return `<h3 class="rec-title">Let's talk about expanding your commitment</h3>
<ul class="rec"><li>${c.exhaustion_date ? `${c.exhaustion_date < d.period.asOf ? "Your commitment was fully used on" : "At your current pace, your commitment will be fully used by"} <b>${esc(longDate(c.exhaustion_date))}</b>, ${early} days before the term ends on ${esc(ends)}.` : `You are using your commitment faster than planned (${esc(money(c.used_minor, c.credit_type_id, ct))} used against ${esc(money(c.expected_minor, c.credit_type_id, ct))} at an even pace).`}</li>
<li>Expanding the commitment now keeps your committed rates for the additional usage and avoids on-demand charges later in the term.</li>
<li>We suggest reviewing your growth plans for the coming quarters together and sizing the commitment to them.</li></ul>`;
  }
  if (c.status === "under") {
    return `<h3 class="rec-title">Let's help you get more from your commitment</h3>
<ul class="rec"><li>At your current pace, you would use about <b>${projectedPct === null ? "–" : `${projectedPct.toFixed(0)}%`}</b> of your commitment by the end of the term on ${esc(ends)}.</li>
<li>Our team can run an adoption session on the products you use least and help bring planned workloads forward.</li>
<li>We suggest a short working session to agree the next steps and a check-in before the end of next quarter.</li></ul>`;
  }
  return `<h3 class="rec-title">You are on plan: keep going</h3>
<ul class="rec"><li>At your current pace you would use about <b>${projectedPct === null ? "–" : `${projectedPct.toFixed(0)}%`}</b> of your commitment by the end of the term on ${esc(ends)}.</li>
<li>We suggest planning the renewal together about a quarter before the term ends, sized on your growth.</li></ul>`;
}
