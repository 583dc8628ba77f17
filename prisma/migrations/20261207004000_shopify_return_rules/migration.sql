-- Shopify's own return rules (return policy profiles) as last read with its refund policy (decision 046).
ALTER TABLE "ReturnPolicyPublication" ADD COLUMN "shopifyReturnRules" TEXT;
