import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { insertCustomerRedactStatement } from "./privacy-requests.server";
import { forgetShopSessions } from "./session-cache.server";

/** What a redaction changed, per table. */
interface ErasedRows {
  customers: number;
  answers: number;
  followUps: number;
  /** Staff reasons on the customer's points adjustments (they may quote or describe the shopper). */
  ledgerNotes: number;
  /** The customer's reward redemptions (their codes, and any staff reason), deleted; the ledger keeps their points. */
  redemptions: number;
  /** Shopify Flow action runs that named the customer or one of the orders (ids and outcomes), deleted. */
  flowActionRuns: number;
  /** Authored notes on their follow-ups (what was said to them), deleted (decision 044). */
  followUpNotes: number;
  /** Goodwill given to them from follow-ups (with the staff reason), deleted; the ledger keeps the points. */
  goodwill: number;
  /**
   * Shopify Flow trigger messages about them (or the guest orders named), queued, failed or sent, deleted: a queued
   * one would send their data to Flow after the erasure (decision 050).
   */
  flowTriggers: number;
}

/** The redaction as a PrivacyRequest row to record in the same transaction (customers/redact). */
interface RedactRecord {
  webhookId: string;
  receivedAt: Date;
}

/**
 * Erases the personal fields of one customer of `shop`, in one transaction: their name and email (and marks them
 * redacted, so order webhooks arriving later cannot bring them back), the free text of their survey answers, the
 * staff notes on their follow-ups and the staff reasons on their points adjustments, and deletes their reward
 * redemptions (codes). `orderIds` (Shopify's orders_to_redact) also reach
 * the answers and follow-ups of those orders that have no customer (guest checkouts, or answers given before the
 * order webhook came), never another customer's. Counts only rows that still held something, so a repeat reports 0.
 * With `record`, the request is recorded in the same transaction (once per webhook id).
 */
export async function erasePersonalData(shop: string, customerId: string, orderIds: string[] = [], record?: RedactRecord): Promise<ErasedRows> {
  // The shopper's own rows, and the guest rows of the orders Shopify names.
  const ownedOrGuest = [{ customerId }, { customerId: null, orderId: { in: orderIds } }];
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const customers = await tx.customer.updateMany({
      where: { shop, id: customerId, OR: [{ firstName: { not: null } }, { lastName: { not: null } }, { email: { not: null } }] },
      data: { firstName: null, lastName: null, email: null },
    });
    // From now on a late order webhook naming the customer must not write their name and email back.
    await tx.customer.updateMany({ where: { shop, id: customerId, redactedAt: null }, data: { redactedAt: now } });
    // Free text in survey answers may name or describe the shopper; the scores themselves are kept.
    // (customText: the shopper's words in the merchant's own questions, decision 037.)
    const answers = await tx.surveyResponse.updateMany({
      where: { shop, OR: ownedOrGuest, AND: [{ OR: [{ comment: { not: null } }, { attributionOther: { not: null } }, { customText: { not: Prisma.DbNull } }] }] },
      data: { comment: null, attributionOther: null, customText: Prisma.DbNull },
    });
    // Answers still waiting for their order (decision 022): the ones the shopper's token named them in, or of the
    // orders Shopify names, lose their free text the same way.
    const pendingAnswers = await tx.pendingSurveyAnswer.updateMany({
      where: {
        shop,
        OR: [{ tokenCustomerId: customerId }, { orderId: { in: orderIds } }],
        AND: [{ OR: [{ comment: { not: null } }, { attributionOther: { not: null } }, { customText: { not: Prisma.DbNull } }] }],
      },
      data: { comment: null, attributionOther: null, customText: Prisma.DbNull },
    });
    // Staff notes on their follow-ups are about the shopper (what was said, what was agreed). The owner is a staff
    // member, not the shopper, and the status is kept so the queue's history and counts stay right.
    const followUps = await tx.followUp.updateMany({
      where: { shop, OR: ownedOrGuest, notes: { not: null } },
      data: { notes: null },
    });
    // The points stay (balances and history must add up); the free-text reason goes. Pending points (PendingPoints:
    // an order id and dates, no personal data) stay with them, so the balance keeps adding up (decision 043).
    const ledgerNotes = await tx.pointsLedger.updateMany({ where: { shop, customerId, note: { not: null } }, data: { note: null } });
    // Their reward codes tie them to what they bought with points: the rows go (the points they took stay in the ledger).
    const redemptions = await tx.rewardRedemption.deleteMany({ where: { shop, customerId } });
    // Flow action runs tie the customer (or their orders) to what a workflow did to them: the rows go.
    const flowActionRuns = await tx.flowActionRun.deleteMany({ where: { shop, OR: [{ customerId }, { orderId: { in: orderIds } }] } });
    // Decision 044: authored notes on their follow-ups (and on the guest follow-ups of the orders named), and the
    // goodwill they were given (its reason may describe them). The ledger keeps the points, without the reason.
    const followUpNotes = await tx.followUpNote.deleteMany({ where: { shop, OR: ownedOrGuest } });
    const goodwill = await tx.followUpGoodwill.deleteMany({ where: { shop, customerId } });
    const flowTriggers = await deleteFlowTriggerMessages(tx, shop, customerId, orderIds);
    const erased = {
      customers: customers.count,
      answers: answers.count + pendingAnswers.count,
      followUps: followUps.count,
      ledgerNotes: ledgerNotes.count,
      redemptions: redemptions.count,
      flowActionRuns: flowActionRuns.count,
      followUpNotes: followUpNotes.count,
      goodwill: goodwill.count,
      flowTriggers,
    };
    if (record) {
      const rowsChanged =
        erased.customers +
        erased.answers +
        erased.followUps +
        erased.ledgerNotes +
        erased.redemptions +
        erased.flowActionRuns +
        erased.followUpNotes +
        erased.goodwill +
        erased.flowTriggers;
      await tx.$executeRaw(insertCustomerRedactStatement(shop, { webhookId: record.webhookId, customerId, orderIds, rowsChanged }, record.receivedAt));
    }
    return erased;
  });
}

/**
 * Deletes the shop's Shopify Flow trigger messages about customer `customerId`, and the guest ones (no customer) of
 * `orderIds`, whatever their status (decision 050): a queued or failed one would send the customer's data to Flow
 * after the erasure (a retry too), a sent one is a copy of what was sent. A mark whose trigger was one of them keeps
 * what it came to in its own row ("sent", or "withdrawn" when it never went out), since its message is gone. Index
 * "OutboxMessage_shop_flow_customer_idx" (shop, customerId, orderId) WHERE operation = 'flowTriggerReceive'; the
 * marks by FollowUp's (shop, customerId) and (shop, orderId). Returns how many messages were deleted.
 */
async function deleteFlowTriggerMessages(tx: Prisma.TransactionClient, shop: string, customerId: string, orderIds: string[]): Promise<number> {
  const gone = await tx.$queryRaw<{ id: number; status: string }[]>`
    DELETE FROM "OutboxMessage"
    WHERE "shop" = ${shop} AND "operation" = 'flowTriggerReceive'
      AND ("customerId" = ${customerId} OR ("customerId" IS NULL AND "orderId" = ANY(${orderIds}::text[])))
    RETURNING "id", "status"`;
  if (!gone.length) return 0;
  const sent = gone.filter((m) => m.status === "delivered").map((m) => Number(m.id));
  const withdrawn = gone.filter((m) => m.status !== "delivered").map((m) => Number(m.id));
  await tx.$executeRaw`
    UPDATE "FollowUp" SET "flowMessageId" = NULL,
      "flowOutcome" = CASE WHEN "flowMessageId" = ANY(${sent}::int[]) THEN 'sent' ELSE 'withdrawn' END
    WHERE "shop" = ${shop} AND "flowMessageId" = ANY(${[...sent, ...withdrawn]}::int[])
      AND ("customerId" = ${customerId} OR ("customerId" IS NULL AND "orderId" = ANY(${orderIds}::text[])))`;
  return gone.length;
}

/**
 * Deletes every row Afterglow holds for `shop`, in one transaction: the source tables first, then the daily rollups
 * their triggers kept (left at zero by those deletes). Returns the number of rows deleted.
 */
export async function deleteShopData(shop: string): Promise<number> {
  const deleted = await prisma.$transaction([
    prisma.outboxMessage.deleteMany({ where: { shop } }),
    prisma.bulkMirrorOperation.deleteMany({ where: { shop } }),
    prisma.followUp.deleteMany({ where: { shop } }),
    prisma.followUpNote.deleteMany({ where: { shop } }),
    prisma.followUpGoodwill.deleteMany({ where: { shop } }),
    prisma.followUpSettings.deleteMany({ where: { shop } }),
    prisma.staffMember.deleteMany({ where: { shop } }),
    prisma.surveyResponse.deleteMany({ where: { shop } }),
    prisma.pendingSurveyAnswer.deleteMany({ where: { shop } }),
    prisma.surveySeen.deleteMany({ where: { shop } }),
    prisma.surveySettings.deleteMany({ where: { shop } }),
    prisma.pointsLedger.deleteMany({ where: { shop } }),
    prisma.pendingPoints.deleteMany({ where: { shop } }),
    prisma.rewardRedemption.deleteMany({ where: { shop } }),
    prisma.flowActionRun.deleteMany({ where: { shop } }),
    prisma.reward.deleteMany({ where: { shop } }),
    prisma.tierChange.deleteMany({ where: { shop } }),
    prisma.tierPerk.deleteMany({ where: { shop } }),
    prisma.job.deleteMany({ where: { shop } }),
    prisma.loyaltyProgram.deleteMany({ where: { shop } }),
    prisma.returnPolicyVersion.deleteMany({ where: { shop } }),
    prisma.returnPolicyPublication.deleteMany({ where: { shop } }),
    prisma.setupGuide.deleteMany({ where: { shop } }),
    prisma.refundLineItem.deleteMany({ where: { shop } }),
    prisma.refund.deleteMany({ where: { shop } }),
    prisma.orderLineItem.deleteMany({ where: { shop } }),
    prisma.order.deleteMany({ where: { shop } }),
    prisma.product.deleteMany({ where: { shop } }),
    prisma.customer.deleteMany({ where: { shop } }),
    prisma.privacyRequest.deleteMany({ where: { shop } }),
    prisma.webhookDelivery.deleteMany({ where: { shop } }),
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { shop } }),
    prisma.cxDaily.deleteMany({ where: { shop } }),
    prisma.cxWorthDaily.deleteMany({ where: { shop } }),
    prisma.orderDaily.deleteMany({ where: { shop } }),
  ]);
  forgetShopSessions(shop);
  return deleted.reduce((n, r) => n + r.count, 0);
}
