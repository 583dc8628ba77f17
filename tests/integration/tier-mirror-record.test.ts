import { describe, expect, it } from "vitest";
import { recordTiersAndMirror, type TierChangeOf } from "~/models/loyalty.server";
import type { OutboxEnqueue } from "~/models/outbox.server";
import { recordedStatements } from "../support/plans";

/**
 * `recordTiersAndMirror` writes customers' new tiers and their Shopify calls in one statement, and one INSERT may not
 * meet the same conflicting row twice: it refuses, before sending anything, a customer changing tier twice and two
 * messages with one coalesce key and operation (PostgreSQL would fail the whole group's statement instead).
 */

const SHOP = "tier-record.myshopify.com";
const NOW = new Date("2026-06-01T00:00:00Z");
const change = (customerId: string, to: string): TierChangeOf => ({ customerId, from: null, to, cause: "order", at: NOW });
const status = (customerId: string, points: number, operation: OutboxEnqueue["operation"] = "metafieldsSet"): OutboxEnqueue => ({
  operation,
  variables: { customerId, points },
  coalesceKey: `loyalty-status:${customerId}`,
});

describe("recordTiersAndMirror refuses what one statement cannot write", () => {
  it("a customer changing tier twice: refused by name, nothing sent", async () => {
    let refusal: unknown;
    const sent = await recordedStatements((tx) =>
      recordTiersAndMirror(tx, SHOP, [change("c-1", "silver"), change("c-2", "gold"), change("c-1", "gold")], [], NOW).catch((error: unknown) => {
        refusal = error;
      }),
    );
    expect(refusal).toEqual(new Error("recordTiersAndMirror: a customer changes tier twice"));
    expect(sent).toEqual([]);
  });

  it("two messages with one coalesce key and operation: refused by name, nothing sent; one key across two operations is sent", async () => {
    let refusal: unknown;
    const refused = await recordedStatements((tx) =>
      recordTiersAndMirror(tx, SHOP, [], [status("c-1", 10), status("c-2", 5), status("c-1", 20)], NOW).catch((error: unknown) => {
        refusal = error;
      }),
    );
    expect(refusal).toEqual(new Error("recordTiersAndMirror: two messages share a coalesce key"));
    expect(refused).toEqual([]);

    const sent = await recordedStatements((tx) => recordTiersAndMirror(tx, SHOP, [change("c-1", "gold")], [status("c-1", 10), status("c-1", 10, "tagsAdd")], NOW));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('INSERT INTO "TierChange"');
  });
});
