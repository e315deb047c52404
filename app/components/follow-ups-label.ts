/** The Follow-ups link's label, naming the open detractor cases when there are any. */
export function followUpsLabel(openFollowUps: number): string {
  return openFollowUps > 0 ? `Follow-ups (${openFollowUps} open)` : "Follow-ups";
}
