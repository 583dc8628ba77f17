-- New orders reach the rollups once per statement instead of once per row (docs/decisions/034-ingest-worker-thread.md).
-- The webhook path inserts a group's orders in one statement (app/models/orders.server.ts, upsertOrdersIfNewer); the
-- row trigger "cx_order_insert" ran for each of them: its locks, its day's OrderDaily upsert and its answers' refresh,
-- about 0.23 ms of the statement's 0.3 ms per order (measured with auto_explain in the webhook benchmark), and one
-- update of the same OrderDaily row per order. The statement trigger below does the same work set-wise from the
-- inserted rows (a transition table), as "cx_orders_deleted" does for deletes: the locks of every inserted order and
-- customer in the one order every writer follows (orders sorted, then customers sorted; see the top of
-- 20261203000100_cx_rollups), then those of the customers of their answers, then one OrderDaily delta per shop and day,
-- then one refresh of the answers that depend on them. Updates of existing orders keep the row trigger
-- "cx_order_update" (it needs each row's old and new version).
--
-- An INSERT … ON CONFLICT DO UPDATE fires this trigger with only the rows it inserted; the rows it updated fire
-- "cx_order_update". Nothing it computes changes: tests/integration/cx-rollups.test.ts compares the rollups with a
-- rebuild from the source rows after random concurrent writers.

CREATE FUNCTION "cx_orders_added"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", s."orders", s."customers", 'update')
  FROM (SELECT a."shop", array_agg(a."id") AS "orders", array_agg(a."customerId") AS "customers"
        FROM "added" AS a GROUP BY a."shop" ORDER BY a."shop") AS s;
  -- Holding the order locks, no answer to these orders can arrive or change customer under us: lock the customers of
  -- their answers too, whose customer type depends on these orders' dates.
  PERFORM "cx_lock"(s."shop", NULL, s."customers", 'none')
  FROM (SELECT r."shop", array_agg(r."customerId") AS "customers" FROM "SurveyResponse" r
        JOIN "added" AS a ON r."shop" = a."shop" AND r."orderId" = a."id"
        WHERE r."customerId" IS NOT NULL GROUP BY r."shop" ORDER BY r."shop") AS s;
  INSERT INTO "OrderDaily" AS t ("shop", "day", "orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor",
    "answeredOrders", "liveGrossMinor", "refundedOrders")
  SELECT c."shop", c."day", SUM(c."orders"), SUM(c."grossMinor"), SUM(c."refundedMinor"), SUM(c."liveOrders"),
    SUM(c."liveNetMinor"), SUM(c."answeredOrders"), SUM(c."liveGrossMinor"), SUM(c."refundedOrders")
  FROM "added" AS a CROSS JOIN LATERAL "cx_order_cells"(a::"Order", 1) AS c
  GROUP BY c."shop", c."day"
  ORDER BY c."shop", c."day"
  ON CONFLICT ("shop", "day") DO UPDATE SET
    "orders" = t."orders" + excluded."orders", "grossMinor" = t."grossMinor" + excluded."grossMinor",
    "refundedMinor" = t."refundedMinor" + excluded."refundedMinor", "liveOrders" = t."liveOrders" + excluded."liveOrders",
    "liveNetMinor" = t."liveNetMinor" + excluded."liveNetMinor", "answeredOrders" = t."answeredOrders" + excluded."answeredOrders",
    "liveGrossMinor" = t."liveGrossMinor" + excluded."liveGrossMinor", "refundedOrders" = t."refundedOrders" + excluded."refundedOrders";
  PERFORM "cx_refresh_answers"(s."shop", s."orders", s."customers")
  FROM (SELECT a."shop", array_agg(a."id") AS "orders", array_agg(a."customerId") AS "customers"
        FROM "added" AS a GROUP BY a."shop" ORDER BY a."shop") AS s;
  RETURN NULL;
END $$;

DROP TRIGGER "cx_order_insert" ON "Order";
CREATE TRIGGER "cx_orders_added" AFTER INSERT ON "Order"
  REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "cx_orders_added"();
