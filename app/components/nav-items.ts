/** The admin navigation, shared by App Bridge's NavMenu and the demo's stand-in navigation. */
export const NAV_ITEMS = [
  { label: "Dashboard", to: "/app" },
  { label: "Survey", to: "/app/survey" },
  { label: "Reports", to: "/app/reports" },
  { label: "Loyalty", to: "/app/loyalty" },
  { label: "Customers", to: "/app/customers" },
  { label: "Returns", to: "/app/returns" },
  { label: "Follow-ups", to: "/app/followups" },
  { label: "Shopify Flow", to: "/app/flow" },
  { label: "Privacy", to: "/app/privacy" },
] as const;

interface NavCounts {
  /** Open recovery follow-ups. */
  openFollowUps: number;
}

export interface NavEntry {
  label: string;
  to: string;
  /** A count to show beside the label, or null. */
  count: number | null;
}

/** The nav items with their counts: Follow-ups carries the open follow-ups (none shown at zero). */
export function navEntries(counts: NavCounts): NavEntry[] {
  return NAV_ITEMS.map((item) => ({
    label: item.label,
    to: item.to,
    count: item.to === "/app/followups" && counts.openFollowUps > 0 ? counts.openFollowUps : null,
  }));
}

/** App Bridge's NavMenu links take text only, so the count goes into the label: "Follow-ups (3)". */
export function navText(entry: NavEntry): string {
  return entry.count === null ? entry.label : `${entry.label} (${entry.count.toLocaleString("en-US")})`;
}
