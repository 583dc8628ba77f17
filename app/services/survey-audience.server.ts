import { tokenCustomer } from "~/domain/survey/answer-integrity";
import { hasEarlierOrder } from "~/models/survey-audience.server";

/**
 * Survey targeting's one fact from the app (POST /api/checkout/survey/audience, decision 045): is this order the
 * shopper's first? Only the signed-in customer the session token names (`sub`) is looked up, in the shop the token
 * names, so a caller learns about their own history only. A guest (no customer in the token) counts as a first order:
 * answering from the order's stored customer would tell any caller with an order id about someone else.
 */
export async function surveyFirstOrder(shop: string, sub: unknown, orderNumericId: string): Promise<{ firstOrder: boolean; known: boolean }> {
  const customerId = tokenCustomer(sub);
  if (!customerId) return { firstOrder: true, known: false };
  return { firstOrder: !(await hasEarlierOrder(shop, customerId, orderNumericId)), known: true };
}
