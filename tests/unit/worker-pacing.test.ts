import { describe, expect, it } from "vitest";
import { eventLoopLagging } from "~/adapters/event-loop-lag.server";
import { runLanes } from "~/services/sync/lanes";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("the sync worker's lanes", () => {
  it("runs every lane's items in order, never more lanes at once than the limit", async () => {
    const lanes = [["a1", "a2", "a3"], ["b1"], ["c1", "c2"], ["d1"], ["e1"]];
    const ran: string[] = [];
    let running = 0;
    let most = 0;
    await runLanes(lanes, 2, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      ran.push(item);
      running -= 1;
    });
    expect(most).toBe(2);
    expect([...ran].sort()).toEqual(lanes.flat().sort());
    for (const lane of lanes) {
      expect(ran.filter((item) => lane.includes(item))).toEqual(lane);
    }
  });

  it("runs all lanes side by side when the limit allows, and nothing for no lanes", async () => {
    let running = 0;
    let most = 0;
    await runLanes([[1], [2], [3]], 3, async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    });
    expect(most).toBe(3);
    const none: number[] = [];
    await runLanes([], 4, async (item: number) => {
      none.push(item);
    });
    expect(none).toEqual([]);
  });
});

describe("the event-loop lag probe", () => {
  it("reports lagging after the loop was blocked longer than the threshold, and not after a quiet spell", async () => {
    const lagging = eventLoopLagging(100);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // the event loop is blocked, as by requests that take all of it
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(lagging()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const relaxed = eventLoopLagging(250);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(relaxed()).toBe(false);
  });
});
