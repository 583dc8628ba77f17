import { prisma } from "~/db.server";
import { forgetShopSessions } from "./session-cache.server";

/**
 * Erases the personal fields of one customer of `shop`, in one transaction. Returns the number of customers
 * changed.
 */
export async function erasePersonalData(shop: string, customerId: string): Promise<number> {
  const [{ count }] = await prisma.$transaction([
    prisma.customer.updateMany({
      where: { shop, id: customerId },
      data: { firstName: null, lastName: null, email: null },
    }),
    // Free text in survey answers may name or describe the shopper; the scores themselves are kept.
    prisma.surveyResponse.updateMany({
      where: { shop, customerId },
      data: { comment: null, attributionOther: null },
    }),
    // Staff notes on their follow-ups are about the shopper (what was said, what was agreed). The owner is a staff
    // member, not the shopper, and the status is kept so the queue's history and counts stay right.
    prisma.followUp.updateMany({
      where: { shop, customerId, notes: { not: null } },
      data: { notes: null },
    }),
  ]);
  return count;
}

/** Deletes every row Afterglow holds for `shop`, in one transaction. Returns the number of rows deleted. */
export async function deleteShopData(shop: string): Promise<number> {
  const deleted = await prisma.$transaction([
    prisma.outboxMessage.deleteMany({ where: { shop } }),
    prisma.followUp.deleteMany({ where: { shop } }),
    prisma.surveyResponse.deleteMany({ where: { shop } }),
    prisma.surveySettings.deleteMany({ where: { shop } }),
    prisma.pointsLedger.deleteMany({ where: { shop } }),
    prisma.tierChange.deleteMany({ where: { shop } }),
    prisma.job.deleteMany({ where: { shop } }),
    prisma.loyaltyProgram.deleteMany({ where: { shop } }),
    prisma.returnPolicyVersion.deleteMany({ where: { shop } }),
    prisma.returnPolicyPublication.deleteMany({ where: { shop } }),
    prisma.refundLineItem.deleteMany({ where: { shop } }),
    prisma.refund.deleteMany({ where: { shop } }),
    prisma.orderLineItem.deleteMany({ where: { shop } }),
    prisma.order.deleteMany({ where: { shop } }),
    prisma.product.deleteMany({ where: { shop } }),
    prisma.customer.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { shop } }),
  ]);
  forgetShopSessions(shop);
  return deleted.reduce((n, r) => n + r.count, 0);
}
