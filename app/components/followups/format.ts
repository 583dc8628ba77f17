/** Display helpers for the follow-ups page. Dates arrive as ISO strings (shown with ~/domain/dates in the shop's time zone); ages are measured against the loader's clock. */
import type { FlowSendOutcome } from "~/domain/followups/views";

type Tone = "success" | "attention" | "critical" | "info" | undefined;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** How long ago `fromIso` was at `nowIso`: "just now", "5 minutes", "3 hours", "2 days", "5 weeks", "4 months", "1 year". */
export function formatAge(fromIso: string, nowIso: string): string {
  const ms = Date.parse(nowIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < MINUTE) return "just now";
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), "minute");
  if (ms < DAY) return plural(Math.floor(ms / HOUR), "hour");
  if (ms < 14 * DAY) return plural(Math.floor(ms / DAY), "day");
  if (ms < 60 * DAY) return plural(Math.floor(ms / (7 * DAY)), "week");
  if (ms < 365 * DAY) return plural(Math.floor(ms / (30 * DAY)), "month");
  return plural(Math.floor(ms / (365 * DAY)), "year");
}

export const STATUS_LABELS: Record<string, string> = { open: "Open", contacted: "Contacted", resolved: "Resolved", marked: "Marked" };
export const KIND_LABELS: Record<string, string> = { recovery: "Recovery", "thank-you": "Thank-you", "review-request": "Review request" };

export function statusTone(status: string): Tone {
  return status === "open" ? "attention" : status === "contacted" ? "info" : status === "resolved" ? "success" : undefined;
}

/** What each status button does, from a status; the labels name the change. */
export const STATUS_ACTIONS: Record<string, { to: string; label: string }[]> = {
  open: [
    { to: "contacted", label: "Mark contacted" },
    { to: "resolved", label: "Resolve" },
  ],
  contacted: [
    { to: "resolved", label: "Resolve" },
    { to: "open", label: "Back to open" },
  ],
  resolved: [{ to: "open", label: "Reopen" }],
};

const TRIGGER_NAMES: Record<string, string> = { "review-request": "Review requested", "thank-you": "Thank-you requested" };

/**
 * What happened to a mark's Shopify Flow trigger, in words (decision 044): Afterglow sends no e-mail itself; the
 * merchant's workflow does. Null for a mark made before the trigger existed.
 */
export function flowOutcomeText(flow: FlowSendOutcome | null, kind: string): string | null {
  const trigger = `Shopify Flow's “${TRIGGER_NAMES[kind] ?? kind}”`;
  switch (flow) {
    case "sent":
      return `Sent to ${trigger}: your workflow does the asking.`;
    case "queued":
      return `Queued for ${trigger}: it is sent in a moment.`;
    case "failed":
      return `Sending to ${trigger} failed; retry it on the Shopify Flow page.`;
    case "no-workflow":
      return `Recorded only: no Shopify Flow workflow uses ${trigger}, so nothing was sent.`;
    case "withdrawn":
      return `Not sent to ${trigger}: the customer's data was erased at their request before it went out.`;
    default:
      return null;
  }
}

/** A duration for the dashboard's medians: "45 minutes", "5.5 hours", "2.3 days"; "—" without one. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const minutes = seconds / 60;
  if (minutes < 60) return plural(Math.max(1, Math.round(minutes)), "minute");
  const hours = minutes / 60;
  if (hours < 48) return `${Number(hours.toFixed(1)).toLocaleString("en-US")} hours`;
  return `${Number((hours / 24).toFixed(1)).toLocaleString("en-US")} days`;
}
