import { readCursorParam } from "../cursor";
import { FOLLOW_UP_KINDS, FOLLOW_UP_STATUSES, type FollowUpKind, type FollowUpStatus } from "./rules";

/**
 * The follow-ups page's URL: `?status=open|contacted|resolved|marked|all` and `&kind=recovery|thank-you|
 * review-request` for the queue, `?view=answers&band=passive|promoter` for the passives and promoters to mark,
 * and `after` / `before` keyset cursors. Anything unreadable falls back to the default (the open queue).
 */

export type StatusFilter = FollowUpStatus | "all";
export type KindFilter = FollowUpKind | "all";
export type BandFilter = "passive" | "promoter" | "all";
type FollowUpListView = "queue" | "answers";

export interface FollowUpListParams {
  view: FollowUpListView;
  status: StatusFilter;
  kind: KindFilter;
  band: BandFilter;
  after: string | null;
  before: string | null;
}

export const DEFAULT_LIST_PARAMS: FollowUpListParams = { view: "queue", status: "open", kind: "all", band: "all", after: null, before: null };

const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;


export function parseFollowUpListParams(params: URLSearchParams): FollowUpListParams {
  const before = readCursorParam(params.get("before"));
  return {
    view: params.get("view") === "answers" ? "answers" : "queue",
    status: oneOf<StatusFilter>(params.get("status"), [...FOLLOW_UP_STATUSES, "all"], "open"),
    kind: oneOf<KindFilter>(params.get("kind"), [...FOLLOW_UP_KINDS, "all"], "all"),
    band: oneOf<BandFilter>(params.get("band"), ["passive", "promoter", "all"], "all"),
    // One direction at a time: `before` (going back) wins.
    after: before ? null : readCursorParam(params.get("after")),
    before,
  };
}
