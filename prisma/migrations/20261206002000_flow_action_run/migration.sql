-- Shopify Flow action runs (issue 22, docs/decisions/040-flow-actions.md): one row per Flow action run id, so a
-- retried run changes nothing and answers the same; shown on the Flow page; deleted by customers/redact and shop/redact.
CREATE TABLE "FlowActionRun" (
    "shop" TEXT NOT NULL,
    "actionRunId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "customerId" TEXT,
    "orderId" TEXT,
    "points" INTEGER,
    "followUpStatus" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FlowActionRun_pkey" PRIMARY KEY ("shop", "actionRunId")
);

-- The Flow page's recent action runs, newest first.
CREATE INDEX "FlowActionRun_shop_createdAt_idx" ON "FlowActionRun"("shop", "createdAt" DESC);

-- customers/redact and the data export: a customer's runs.
CREATE INDEX "FlowActionRun_shop_customerId_idx" ON "FlowActionRun"("shop", "customerId");

-- Shopify Flow's "Set follow-up status" action finds the recovery follow-up of an order.
CREATE INDEX "FollowUp_shop_orderId_idx" ON "FollowUp"("shop", "orderId");

-- The Flow page's recent trigger sends and their counts: a shop's flowTriggerReceive messages, newest first, without
-- walking its tier-mirror messages (far more numerous).
CREATE INDEX "OutboxMessage_shop_flow_idx" ON "OutboxMessage"("shop", "id") WHERE "operation" = 'flowTriggerReceive';
