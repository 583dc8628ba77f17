/** What the follow-up components take as props (the loader's JSON: dates as ISO strings). */

export interface FollowUpView {
  id: number;
  responseId: number;
  orderId: string;
  orderName: string;
  customerId: string | null;
  customerName: string | null;
  kind: string;
  /** What opened it, e.g. ["NPS 3", "CSAT 2"]. */
  trigger: string[];
  status: string;
  owner: string | null;
  notes: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface MarkCandidateView {
  responseId: number;
  orderId: string;
  orderName: string;
  customerId: string | null;
  customerName: string | null;
  nps: number;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  createdAt: string;
  marks: string[];
}

export interface PageInfoView {
  hasNext: boolean;
  hasPrevious: boolean;
  nextCursor: string | null;
  previousCursor: string | null;
}

/** The action's answer (POST /app/followups). */
export type FollowUpActionResult =
  | { ok: true; intent: string; message: string; id: number | null; responseId: number | null }
  | { ok: false; intent: string | null; errors: Record<string, string>; id: number | null; responseId: number | null };

/** Every row's buttons and forms share one fetcher, so the page can announce the result even when the row leaves the list. */
export const FOLLOW_UP_FETCHER_KEY = "followup-action";
