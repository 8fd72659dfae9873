import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {duration, progress} from "../../data-loaders/lib/progress.js";

describe("progress(what, total, log, {every, now})", () => {
  it("logs at most once per interval, with done/total, elapsed and the time left at the pace so far, and always the last", () => {
    let t = 0;
    const lines: string[] = [];
    const p = progress("report 2026-09 with PDFs", 10, (m) => lines.push(m), {every: 2000, now: () => t});
    for (let i = 0; i < 10; i++) {
      t += 500; // one item every half second
      p.tick();
    }
    // 4 items at 2 s (6 left at 0.5 s each: 3 s), 8 at 4 s (2 left: 1 s), and the last.
    assert.deepEqual(lines, [
      "report 2026-09 with PDFs: 4/10 in 2 s, about 3 s left",
      "report 2026-09 with PDFs: 8/10 in 4 s, about 1 s left",
      "report 2026-09 with PDFs: 10/10 in 5 s"
    ]);
  });
});

describe("duration(ms)", () => {
  it("gives seconds under a minute, minutes and two-digit seconds above", () => {
    assert.equal(duration(42_400), "42 s");
    assert.equal(duration(65_000), "1 min 05 s");
    assert.equal(duration(3_600_000), "60 min 00 s");
  });
});
