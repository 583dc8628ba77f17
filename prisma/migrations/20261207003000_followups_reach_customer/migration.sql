-- Follow-ups that reach the customer (issue 22, decision 044): staff owners, authored notes, goodwill, the
-- response-time target, and what a thank-you / review request's Shopify Flow trigger came to.

ALTER TABLE "FollowUp"
  ADD COLUMN "ownerUserId" TEXT,
  ADD COLUMN "firstContactAt" TIMESTAMPTZ(3),
  ADD COLUMN "flowOutcome" TEXT,
  ADD COLUMN "flowMessageId" INTEGER;
-- Follow-ups worked before this change: their first contact is not known exactly; a resolved one was contacted by
-- the time it was resolved at the latest, a contacted one by its last change.
UPDATE "FollowUp" SET "firstContactAt" = COALESCE("resolvedAt", "updatedAt")
  WHERE "kind" = 'recovery' AND "status" IN ('contacted', 'resolved');

-- The dashboard's median times (recovery follow-ups opened in a date range). Partial: marks are left out.
CREATE INDEX "FollowUp_shop_recovery_created_idx" ON "FollowUp"("shop", "createdAt") WHERE "kind" = 'recovery';

CREATE TABLE "FollowUpNote" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "followUpId" INTEGER NOT NULL,
    "customerId" TEXT,
    "orderId" TEXT NOT NULL,
    "authorUserId" TEXT,
    "author" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "FollowUpNote_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "FollowUpNote_shop_followUpId_id_idx" ON "FollowUpNote"("shop", "followUpId", "id");
CREATE INDEX "FollowUpNote_shop_customerId_idx" ON "FollowUpNote"("shop", "customerId");

CREATE TABLE "FollowUpGoodwill" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "followUpId" INTEGER NOT NULL,
    "customerId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER,
    "reward" TEXT,
    "redemptionId" TEXT,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "staff" TEXT,
    "staffUserId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "FollowUpGoodwill_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "FollowUpGoodwill_shop_idempotencyKey_key" ON "FollowUpGoodwill"("shop", "idempotencyKey");
CREATE INDEX "FollowUpGoodwill_shop_followUpId_idx" ON "FollowUpGoodwill"("shop", "followUpId");
CREATE INDEX "FollowUpGoodwill_shop_customerId_idx" ON "FollowUpGoodwill"("shop", "customerId");

CREATE TABLE "FollowUpSettings" (
    "shop" TEXT NOT NULL,
    "responseTargetHours" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "FollowUpSettings_pkey" PRIMARY KEY ("shop")
);

CREATE TABLE "StaffMember" (
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("shop", "userId")
);
