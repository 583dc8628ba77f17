-- Shopify Flow trigger use per shop and trigger, from Flow's trigger lifecycle callback (issue 22): a trigger is sent
-- only while an enabled workflow uses it. The callback's timestamp decides which callback wins.
CREATE TABLE "FlowTriggerUse" (
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "callbackAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FlowTriggerUse_pkey" PRIMARY KEY ("shop", "handle")
);
