import type { PageInfo } from "../cursor";
import type { MarkAction } from "./rules";

/**
 * The follow-ups page's shapes, one definition shared by the server (the service builds them, the model's rows are
 * derived from them) and the UI (the components take them as props, the route's loader and action send them as
 * JSON: instants as ISO strings).
 */

/** One follow-up of the queue, with its order, customer and the answer's scores and comment. */
export interface FollowUpView {
  id: number;
  responseId: number;
  orderId: string;
  /** The order's name ("#1001") from the Order table; null before its webhook arrived (app/components/OrderLink.tsx shows a fallback). */
  orderName: string | null;
  customerId: string | null;
  /** The customer's name (or email, or "Customer <id>"); null for a guest or an answer not linked yet. */
  customerName: string | null;
  kind: string;
  /** What opened it, as labels: ["NPS 3", "CSAT 2"]. */
  trigger: string[];
  status: string;
  owner: string | null;
  notes: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

/** A passive or promoter answer that can be marked for a thank-you or a review request, with its marks. */
export interface MarkCandidateView
  extends Pick<FollowUpView, "responseId" | "orderId" | "orderName" | "customerId" | "customerName" | "csat" | "ces" | "comment" | "createdAt"> {
  nps: number;
  /** The actions already marked on it. */
  marks: MarkAction[];
}

/** One page of a list and its keyset cursors (app/domain/cursor.ts). */
export interface FollowUpPage<T> {
  rows: T[];
  pageInfo: PageInfo;
}

/** The answer of the page's action (POST /app/followups) as the browser gets it. */
export type FollowUpActionResult =
  | { ok: true; intent: "update" | "mark" | "unmark"; message: string; id: number | null; responseId: number | null }
  | { ok: false; intent: string | null; errors: Record<string, string>; id: number | null; responseId: number | null };
