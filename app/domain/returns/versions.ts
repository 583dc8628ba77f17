/**
 * Which saved version of the return policy judges an order: the newest version saved at or before the moment the
 * order was placed ("newest" by save time, then by version number when two share a timestamp).
 *
 * An order placed before the first version was saved (the shop ordered before it set up a policy, or an order
 * imported from history) is judged by the first version: it is the policy the merchant set up first, and judging
 * the order by nothing would leave the customer page without an answer. Null only when there is no version at all.
 * The versions may come in any order.
 */
export function versionInForce<V extends { version: number; createdAt: Date }>(versions: V[], placedAt: Date): V | null {
  const placed = placedAt.getTime();
  let inForce: V | null = null;
  let first: V | null = null;
  for (const candidate of versions) {
    if (first === null || compareSaved(candidate, first) < 0) first = candidate;
    if (candidate.createdAt.getTime() <= placed && (inForce === null || compareSaved(candidate, inForce) > 0)) inForce = candidate;
  }
  return inForce ?? first;
}

function compareSaved(a: { version: number; createdAt: Date }, b: { version: number; createdAt: Date }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || a.version - b.version;
}
