// runAhead: items prepared in order while earlier jobs run, never more than `ahead` at once; the first failure stops
// the loop and is what it throws.
import assert from "node:assert/strict";
import {describe, it} from "node:test";
import {runAhead} from "../../data-loaders/lib/ahead.js";

const tick = () => new Promise<void>((ok) => setTimeout(ok, 1));

describe("runAhead(items, ahead, prepare)", () => {
  it("prepares every item in order and runs every job, at most `ahead` at once", async () => {
    const prepared: number[] = [];
    const finished: number[] = [];
    let inFlight = 0;
    let most = 0;
    await runAhead([1, 2, 3, 4, 5, 6, 7], 2, async (i) => {
      prepared.push(i);
      if (i === 4) return null; // nothing to run for this one
      return async () => {
        most = Math.max(most, ++inFlight);
        for (let k = 0; k < 8 - i; k++) await tick(); // the earlier ones take longer
        inFlight--;
        finished.push(i);
      };
    });
    assert.deepEqual(prepared, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(finished.slice().sort(), [1, 2, 3, 5, 6, 7]);
    assert.equal(most, 2);
  });

  it("stops preparing once a job has failed, waits for the jobs started, and throws that failure", async () => {
    const prepared: number[] = [];
    const settled: number[] = [];
    await assert.rejects(
      runAhead(Array.from({length: 100}, (_, i) => i), 2, async (i) => {
        prepared.push(i);
        return async () => {
          await tick();
          if (i === 3) throw new Error("document 3 does not fit its page");
          await tick();
          settled.push(i);
        };
      }),
      /document 3 does not fit its page/
    );
    assert.ok(prepared.length <= 3 + 2 + 1, `prepared ${prepared.length} of 100`);
    assert.deepEqual(settled.slice().sort((a, b) => a - b), prepared.filter((i) => i !== 3), "every other job started has finished");
  });

  it("throws a failure of prepare itself, after the jobs started", async () => {
    let finished = 0;
    await assert.rejects(runAhead([1, 2, 3], 2, async (i) => {
      if (i === 2) throw new RangeError("no customer 2 in the snapshot");
      return async () => {
        await tick();
        finished++;
      };
    }), RangeError);
    assert.equal(finished, 1);
  });
});
