/**
 * An answer segment chosen on the Reports page (`?segment=tier:gold`, `customerType:new`, `refund:refund`): the
 * answers whose derived column (SurveyResponse."segTier", "segCustomerType", "segRefund", kept by the rollup
 * triggers) has that value. Read from the URL, so checked: an unknown dimension or a malformed value is refused
 * with a reason and the page shows every answer.
 */
const SEGMENT_DIMENSIONS = ["customerType", "tier", "refund"] as const;
export type AnswerSegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

export interface AnswerSegment {
  dimension: AnswerSegmentDimension;
  value: string;
}

const FIXED_VALUES: Partial<Record<AnswerSegmentDimension, readonly string[]>> = {
  customerType: ["new", "returning", "guest"],
  refund: ["refund", "none"],
};
/** A tier slug ("" for customers without a tier, "guest" without a customer), as tierSlug() writes them. */
const TIER_VALUE = /^[a-z0-9-]{0,60}$/;

type SegmentParse = { ok: true; segment: AnswerSegment | null } | { ok: false; error: string };

export function parseAnswerSegment(param: string | null): SegmentParse {
  if (param === null || param === "" || param === "all") return { ok: true, segment: null };
  const [dimension, ...rest] = param.split(":");
  if (!(SEGMENT_DIMENSIONS as readonly string[]).includes(dimension!)) return { ok: false, error: "Unknown segment" };
  // A dimension alone ("tier") names no segment: its value follows a colon, and may be empty ("tier:", no tier).
  const value = rest.length ? rest.join(":") : null;
  const fixed = FIXED_VALUES[dimension as AnswerSegmentDimension];
  const valid = value !== null && (fixed ? fixed.includes(value) : TIER_VALUE.test(value));
  return valid ? { ok: true, segment: { dimension: dimension as AnswerSegmentDimension, value } } : { ok: false, error: "Unknown segment value" };
}

/** The URL form of a segment (what parseAnswerSegment reads). */
export const segmentParam = (segment: AnswerSegment): string => `${segment.dimension}:${segment.value}`;
