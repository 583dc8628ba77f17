/** Display helpers shared by the customer components (dates: ~/domain/dates, in the shop's time zone). */

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Points with an explicit sign: "+120", "−40". */
export function formatPointsChange(points: number): string {
  return points > 0 ? `+${formatCount(points)}` : points < 0 ? `−${formatCount(-points)}` : "0";
}
