// Spend against the remaining commit: the falling balance (amount − cumulative burn) above, daily spend below, on
// one time axis. Money in major units.
import * as Plot from "@observablehq/plot";
import {toMajor, type CreditType} from "./format.js";

export interface SpendDay {
  date: Date;
  burn_minor: number | null;
  cumulative_burn_minor: number | null;
}

export function spendChart(days: SpendDay[], {width, amountMinor, creditType}: {width: number; amountMinor: number; creditType: CreditType | undefined}): HTMLElement {
  const unit = creditType?.currency_code ?? creditType?.name ?? "";
  const past = days.filter((d) => d.cumulative_burn_minor !== null);
  const remaining = past.map((d) => ({date: d.date, value: toMajor(amountMinor - d.cumulative_burn_minor!, creditType)}));
  const spend = past.map((d) => ({date: d.date, value: toMajor(d.burn_minor ?? 0, creditType)}));
  const x = {type: "utc" as const, label: "Date (UTC)", domain: days.length ? [days[0]!.date, days[days.length - 1]!.date] : undefined};
  const figure = document.createElement("figure");
  figure.className = "mb-spend";
  figure.append(
    Plot.plot({
      title: "Remaining commit",
      width,
      height: 180,
      marginLeft: 64,
      ariaDescription: "Commit balance remaining after each day's spend.",
      x: {...x, axis: null},
      y: {label: `Remaining (${unit})`, grid: true},
      marks: [Plot.ruleY([0]), Plot.areaY(remaining, {x: "date", y: "value", fillOpacity: 0.2, className: "mb-remaining-area"}), Plot.lineY(remaining, {x: "date", y: "value", className: "mb-remaining"})]
    }),
    Plot.plot({
      title: "Daily spend from the commit",
      width,
      height: 140,
      marginLeft: 64,
      ariaDescription: "Spend drawn from the commit each day.",
      x,
      y: {label: `Spend (${unit}/day)`, grid: true},
      marks: [Plot.ruleY([0]), Plot.rectY(spend, {x: "date", y: "value", interval: "day", className: "mb-daily-spend"}), Plot.tip(spend, Plot.pointerX({x: "date", y: "value"}))]
    })
  );
  return figure;
}
