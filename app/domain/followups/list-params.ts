import { readCursorParam } from "../cursor";
import { FOLLOW_UP_KINDS, FOLLOW_UP_STATUSES, type FollowUpKind, type FollowUpStatus } from "./rules";

/**
 * The follow-ups page's URL: `?status=open|contacted|resolved|marked|all` and `&kind=recovery|thank-you|
 * review-request` for the queue, `?view=answers&band=passive|promoter` for the passives and promoters to mark,
 * and `after` / `before` keyset cursors. Anything unreadable falls back to the default (the open queue).
 */

type StatusFilter = FollowUpStatus | "all";
type KindFilter = FollowUpKind | "all";
type BandFilter = "passive" | "promoter" | "all";
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
    view: oneOf<FollowUpListView>(params.get("view"), ["queue", "answers"], DEFAULT_LIST_PARAMS.view),
    status: oneOf<StatusFilter>(params.get("status"), [...FOLLOW_UP_STATUSES, "all"], DEFAULT_LIST_PARAMS.status),
    kind: oneOf<KindFilter>(params.get("kind"), [...FOLLOW_UP_KINDS, "all"], DEFAULT_LIST_PARAMS.kind),
    band: oneOf<BandFilter>(params.get("band"), ["passive", "promoter", "all"], DEFAULT_LIST_PARAMS.band),
    // One direction at a time: `before` (going back) wins.
    after: before ? null : readCursorParam(params.get("after")),
    before,
  };
}
