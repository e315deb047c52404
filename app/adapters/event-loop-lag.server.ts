import { monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Whether this process's event loop has been lagging: the 99th percentile of its delay since the last call
 * above `thresholdMs`. A web instance under more requests than it can serve lags; one that keeps up does not.
 */
export function eventLoopLagging(thresholdMs: number): () => boolean {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  return () => {
    const lagging = delay.count > 0 && delay.percentile(99) / 1e6 > thresholdMs;
    delay.reset();
    return lagging;
  };
}
