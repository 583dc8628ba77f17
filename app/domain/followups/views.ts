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
  /** Decision 044: the staff member picked as owner (null for a free-text owner or none). */
  ownerUserId: string | null;
  /** How to reach the customer: the e-mail the app holds, a mailto: with the subject in the customer's language, the order in the admin. */
  contact: FollowUpContact;
  /** When it first left "open"; null while nobody contacted the customer. */
  firstContactAt: string | null;
  /** Open past the shop's response-time target; `overdueAt` is when it is (or was) due, for open ones. */
  overdue: boolean;
  overdueAt: string | null;
  /**
   * A mark's Shopify Flow trigger: queued, sent, failed, or no workflow uses it; withdrawn when the customer's data was
   * erased before it went out (null for recovery follow-ups and older marks).
   */
  flow: FlowSendOutcome | null;
  /** Notes with their author and time, oldest first. */
  noteLog: FollowUpNoteView[];
  goodwill: GoodwillView[];
  /** The customer's other answer sets, newest first (at most EARLIER_ANSWERS_SHOWN). */
  earlierAnswers: EarlierAnswerView[];
}

export const EARLIER_ANSWERS_SHOWN = 5;

export type FlowSendOutcome = "queued" | "sent" | "failed" | "no-workflow" | "withdrawn";

export interface FollowUpContact {
  email: string | null;
  mailto: string | null;
  subject: string;
  orderUrl: string | null;
}

export interface FollowUpNoteView {
  id: number;
  author: string | null;
  body: string;
  createdAt: string;
}

export interface GoodwillView {
  id: number;
  kind: string;
  points: number | null;
  reward: string | null;
  /** The code, once Shopify holds it. */
  code: string | null;
  /**
   * granted | pending | refused; a code's is its redemption's (decision 050), so also used | expired, and a code
   * Shopify answered late moves from pending on its own.
   */
  status: string;
  /** Why Shopify refused a code (its own message); null otherwise. */
  refusal: string | null;
  reason: string;
  staff: string | null;
  createdAt: string;
}

export interface EarlierAnswerView {
  responseId: number;
  orderId: string;
  orderName: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  createdAt: string;
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
  | { ok: true; intent: "update" | "mark" | "unmark" | "note" | "goodwill" | "settings"; message: string; id: number | null; responseId: number | null }
  | { ok: false; intent: string | null; errors: Record<string, string>; id: number | null; responseId: number | null };
