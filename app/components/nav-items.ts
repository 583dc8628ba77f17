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
  /** Of those, open past the shop's response-time target (decision 044). */
  overdueFollowUps?: number;
}

export interface NavEntry {
  label: string;
  to: string;
  /** A count to show beside the label, or null. */
  count: number | null;
  /** How many of `count` are overdue, shown in words beside it; null when none are. */
  overdue: number | null;
}

/** The nav items with their counts: Follow-ups carries the open follow-ups and the overdue ones (none shown at zero). */
export function navEntries(counts: NavCounts): NavEntry[] {
  return NAV_ITEMS.map((item) => {
    const followUps = item.to === "/app/followups";
    const overdue = counts.overdueFollowUps ?? 0;
    return {
      label: item.label,
      to: item.to,
      count: followUps && counts.openFollowUps > 0 ? counts.openFollowUps : null,
      overdue: followUps && overdue > 0 ? overdue : null,
    };
  });
}

/**
 * App Bridge's NavMenu links take text only, so the counts go into the label: "Follow-ups (3)", and with overdue
 * ones "Follow-ups (3 open, 1 overdue)" (words, not a colour, say which is which).
 */
export function navText(entry: NavEntry): string {
  if (entry.count === null) return entry.label;
  const open = entry.count.toLocaleString("en-US");
  return entry.overdue === null ? `${entry.label} (${open})` : `${entry.label} (${open} open, ${entry.overdue.toLocaleString("en-US")} overdue)`;
}
