/** Runs each lane's items in order, at most `limit` lanes at a time, each next lane in the order given. */
export async function runLanes<T>(
  lanes: T[][],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++] ?? [];
      for (const item of lane) await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, lanes.length)) }, runner));
}
