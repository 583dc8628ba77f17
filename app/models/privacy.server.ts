import { prisma } from "~/db.server";

/** Erases the personal fields of one customer of `shop`. Returns the number of customers changed. */
export async function erasePersonalData(shop: string, customerId: string): Promise<number> {
  const { count } = await prisma.customer.updateMany({
    where: { shop, id: customerId },
    data: { firstName: null, lastName: null, email: null },
  });
  // Free text in survey answers may name or describe the shopper; the scores themselves are kept.
  await prisma.surveyResponse.updateMany({
    where: { shop, customerId },
    data: { comment: null, attributionOther: null },
  });
  return count;
}

/** Deletes every row Afterglow holds for `shop`, in one transaction. Returns the number of rows deleted. */
export async function deleteShopData(shop: string): Promise<number> {
  const deleted = await prisma.$transaction([
    prisma.outboxMessage.deleteMany({ where: { shop } }),
    prisma.surveyResponse.deleteMany({ where: { shop } }),
    prisma.surveySettings.deleteMany({ where: { shop } }),
    prisma.pointsLedger.deleteMany({ where: { shop } }),
    prisma.tierChange.deleteMany({ where: { shop } }),
    prisma.job.deleteMany({ where: { shop } }),
    prisma.loyaltyProgram.deleteMany({ where: { shop } }),
    prisma.refund.deleteMany({ where: { shop } }),
    prisma.order.deleteMany({ where: { shop } }),
    prisma.customer.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { shop } }),
  ]);
  return deleted.reduce((n, r) => n + r.count, 0);
}
