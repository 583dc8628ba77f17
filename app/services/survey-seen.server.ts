import type { SurveySurface } from "~/domain/survey/answer";
import { recordSurveySeen } from "~/models/survey-seen.server";

/**
 * The survey was shown (POST /api/checkout/survey/seen, decision 041): once per order and surface, the response
 * rate's denominator. Stored under the token's shop only; a seen record counts only once the shop's own webhooks
 * stored its order (models/survey-response-rate.server.ts), so it cannot add to another shop's figures, nor invent
 * orders. Returns whether this was the first time.
 */
export function recordSeen(shop: string, orderNumericId: string, surface: SurveySurface, now = new Date()): Promise<boolean> {
  return recordSurveySeen(shop, orderNumericId, surface, now);
}
