-- AlterTable
ALTER TABLE "Refund" ADD COLUMN "shopAmountMinor" INTEGER;

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "basis" TEXT NOT NULL,
    "window" TEXT NOT NULL,
    "pointsPerUnit" INTEGER NOT NULL,
    "tiers" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PointsLedger" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "orderId" TEXT,
    "note" TEXT,
    "staff" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromSlug" TEXT,
    "toSlug" TEXT,
    "cause" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "variables" TEXT NOT NULL,
    "coalesceKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "deliveredAt" DATETIME
);

-- CreateTable
CREATE TABLE "Job" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "detail" TEXT,
    "startedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lifetimeNetMinor" INTEGER NOT NULL DEFAULT 0,
    "rolling12NetMinor" INTEGER NOT NULL DEFAULT 0,
    "lifetimeGrossMinor" INTEGER NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "rolling12Orders" INTEGER NOT NULL DEFAULT 0,
    "firstOrderAt" DATETIME,
    "lastOrderAt" DATETIME,
    "factsAt" DATETIME,
    "tierSlug" TEXT,
    "pointsBalance" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "id")
);
INSERT INTO "new_Customer" ("createdAt", "email", "firstName", "id", "lastName", "shop", "updatedAt") SELECT "createdAt", "email", "firstName", "id", "lastName", "shop", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shop_lifetimeNetMinor_idx" ON "Customer"("shop", "lifetimeNetMinor");
CREATE INDEX "Customer_shop_lastOrderAt_idx" ON "Customer"("shop", "lastOrderAt");
CREATE INDEX "Customer_shop_tierSlug_idx" ON "Customer"("shop", "tierSlug");
CREATE TABLE "new_Order" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "customerId" TEXT,
    "currency" TEXT NOT NULL,
    "presentmentCurrency" TEXT NOT NULL,
    "totalMinor" INTEGER NOT NULL,
    "presentmentTotalMinor" INTEGER NOT NULL,
    "financialStatus" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "cancelledAt" DATETIME,
    "placedAt" DATETIME NOT NULL,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "lineItemCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "id")
);
-- Existing orders: the presentment total is not known; the shop total is the best available value.
INSERT INTO "new_Order" ("cancelledAt", "createdAt", "currency", "customerId", "financialStatus", "id", "lineItemCount", "name", "placedAt", "presentmentCurrency", "shop", "shopifyUpdatedAt", "test", "totalMinor", "presentmentTotalMinor") SELECT "cancelledAt", "createdAt", "currency", "customerId", "financialStatus", "id", "lineItemCount", "name", "placedAt", "presentmentCurrency", "shop", "shopifyUpdatedAt", "test", "totalMinor", "totalMinor" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shop_placedAt_idx" ON "Order"("shop", "placedAt");
CREATE INDEX "Order_shop_customerId_placedAt_idx" ON "Order"("shop", "customerId", "placedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PointsLedger_shop_customerId_createdAt_idx" ON "PointsLedger"("shop", "customerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PointsLedger_shop_sourceKey_key" ON "PointsLedger"("shop", "sourceKey");

-- CreateIndex
CREATE INDEX "TierChange_shop_customerId_createdAt_idx" ON "TierChange"("shop", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_nextAttemptAt_idx" ON "OutboxMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_shop_status_coalesceKey_idx" ON "OutboxMessage"("shop", "status", "coalesceKey");

-- CreateIndex
CREATE INDEX "Job_shop_kind_startedAt_idx" ON "Job"("shop", "kind", "startedAt");

