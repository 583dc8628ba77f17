-- Points wait out the return window (issue 21, decision 043).

-- The programme's setting: off for every programme saved before it existed (their shoppers' points stay spendable
-- as they were); the Loyalty page offers it on for a programme's first save.
ALTER TABLE "LoyaltyProgram"
  ADD COLUMN "pendingPoints" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "pendingMaxDays" INTEGER NOT NULL DEFAULT 60;

-- A customer's pending points and when the next of them become available (pointsBalance is what they can spend).
ALTER TABLE "Customer"
  ADD COLUMN "pointsPending" BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN "pointsPendingNextAt" TIMESTAMPTZ(3);

-- One row per order whose points wait; no customer data.
CREATE TABLE "PendingPoints" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "availableAt" TIMESTAMPTZ(3) NOT NULL,
    "capAt" TIMESTAMPTZ(3) NOT NULL,
    "releasedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "PendingPoints_pkey" PRIMARY KEY ("shop", "orderId")
);

-- The sweep: a shop's unreleased rows due by now, earliest first. Partial, so released rows cost it nothing.
CREATE INDEX "PendingPoints_due_idx" ON "PendingPoints"("shop", "availableAt") WHERE "releasedAt" IS NULL;
