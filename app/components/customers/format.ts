/** Display helpers shared by the customer components. Dates come as ISO strings and are shown in the shop's time zone. */

export function formatDate(isoDate: string | null, timezone: string): string {
  if (!isoDate) return "—";
  return new Date(isoDate).toLocaleDateString("en-US", { timeZone: timezone, year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(isoDate: string, timezone: string): string {
  return new Date(isoDate).toLocaleString("en-US", { timeZone: timezone, dateStyle: "medium", timeStyle: "short" });
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Points with an explicit sign: "+120", "−40". */
export function formatPointsChange(points: number): string {
  return points > 0 ? `+${formatCount(points)}` : points < 0 ? `−${formatCount(-points)}` : "0";
}
