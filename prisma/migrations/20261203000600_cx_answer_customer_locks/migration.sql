-- An answer's customer type ("returning" when its customer has an order placed before the answered order) depends on
-- the answered order's date and on the orders of the answer's customer, who need not be the order's customer. A writer
-- of the order took the locks of the order and of the order's customers only, and a writer of an order of the answer's
-- customer the locks of that order and that customer: the two shared no lock, so each could refresh the answer without
-- the other's row and the answer kept a stale type (seen once in the random concurrent writers test). Order writers
-- now also take the advisory lock of the customer of each answer to the order, after the order's lock (which keeps
-- those answers from arriving or changing customer meanwhile), as the refund trigger does for its order's customer.
-- tests/integration/cx-rollups.test.ts holds the pair in two open transactions.

CREATE OR REPLACE FUNCTION "cx_order_rollup"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_answerers text[];
BEGIN
  PERFORM "cx_lock"(NEW."shop", ARRAY[NEW."id", OLD."id"], ARRAY[NEW."customerId", OLD."customerId"], 'update');
  -- Holding the order locks, no answer to these orders can arrive or change customer under us: lock the customers
  -- of their answers too, whose customer type depends on this order's date.
  v_answerers := ARRAY(SELECT r."customerId" FROM "SurveyResponse" r
                       WHERE r."shop" = NEW."shop" AND r."orderId" IN (NEW."id", OLD."id") AND r."customerId" IS NOT NULL);
  IF cardinality(v_answerers) > 0 THEN
    PERFORM "cx_lock"(NEW."shop", NULL, v_answerers, 'none');
  END IF;
  INSERT INTO "OrderDaily" AS t ("shop", "day", "orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor",
    "answeredOrders", "liveGrossMinor", "refundedOrders")
  SELECT c."shop", c."day", SUM(c."orders"), SUM(c."grossMinor"), SUM(c."refundedMinor"), SUM(c."liveOrders"),
    SUM(c."liveNetMinor"), SUM(c."answeredOrders"), SUM(c."liveGrossMinor"), SUM(c."refundedOrders")
  FROM (SELECT * FROM "cx_order_cells"(OLD, -1) UNION ALL SELECT * FROM "cx_order_cells"(NEW, 1)) AS c
  GROUP BY c."shop", c."day"
  HAVING (SUM(c."orders"), SUM(c."grossMinor"), SUM(c."refundedMinor"), SUM(c."liveOrders"), SUM(c."liveNetMinor"),
          SUM(c."answeredOrders"), SUM(c."liveGrossMinor"), SUM(c."refundedOrders")) <> (0, 0, 0, 0, 0, 0, 0, 0)
  ORDER BY c."shop", c."day"
  ON CONFLICT ("shop", "day") DO UPDATE SET
    "orders" = t."orders" + excluded."orders", "grossMinor" = t."grossMinor" + excluded."grossMinor",
    "refundedMinor" = t."refundedMinor" + excluded."refundedMinor", "liveOrders" = t."liveOrders" + excluded."liveOrders",
    "liveNetMinor" = t."liveNetMinor" + excluded."liveNetMinor", "answeredOrders" = t."answeredOrders" + excluded."answeredOrders",
    "liveGrossMinor" = t."liveGrossMinor" + excluded."liveGrossMinor", "refundedOrders" = t."refundedOrders" + excluded."refundedOrders";
  PERFORM "cx_refresh_answers"(NEW."shop", ARRAY[NEW."id", OLD."id"], ARRAY[NEW."customerId", OLD."customerId"]);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "cx_orders_deleted"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", s."orders", s."customers", 'update')
  FROM (SELECT g."shop", array_agg(g."id") AS "orders", array_agg(g."customerId") AS "customers" FROM "gone" AS g GROUP BY g."shop") AS s;
  PERFORM "cx_lock"(s."shop", NULL, s."customers", 'none')
  FROM (SELECT r."shop", array_agg(r."customerId") AS "customers" FROM "SurveyResponse" r
        JOIN "gone" AS g ON r."shop" = g."shop" AND r."orderId" = g."id"
        WHERE r."customerId" IS NOT NULL GROUP BY r."shop") AS s;
  INSERT INTO "OrderDaily" AS t ("shop", "day", "orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor",
    "answeredOrders", "liveGrossMinor", "refundedOrders")
  SELECT c."shop", c."day", SUM(c."orders"), SUM(c."grossMinor"), SUM(c."refundedMinor"), SUM(c."liveOrders"),
    SUM(c."liveNetMinor"), SUM(c."answeredOrders"), SUM(c."liveGrossMinor"), SUM(c."refundedOrders")
  FROM "gone" AS g CROSS JOIN LATERAL "cx_order_cells"(g::"Order", -1) AS c
  GROUP BY c."shop", c."day"
  ORDER BY c."shop", c."day"
  ON CONFLICT ("shop", "day") DO UPDATE SET
    "orders" = t."orders" + excluded."orders", "grossMinor" = t."grossMinor" + excluded."grossMinor",
    "refundedMinor" = t."refundedMinor" + excluded."refundedMinor", "liveOrders" = t."liveOrders" + excluded."liveOrders",
    "liveNetMinor" = t."liveNetMinor" + excluded."liveNetMinor", "answeredOrders" = t."answeredOrders" + excluded."answeredOrders",
    "liveGrossMinor" = t."liveGrossMinor" + excluded."liveGrossMinor", "refundedOrders" = t."refundedOrders" + excluded."refundedOrders";
  PERFORM "cx_refresh_answers"(s."shop", s."orders", s."customers")
  FROM (SELECT g."shop", array_agg(g."id") AS "orders", array_agg(g."customerId") AS "customers" FROM "gone" AS g GROUP BY g."shop") AS s;
  RETURN NULL;
END $$;

-- Rows a race may have left stale before this migration.
SELECT "cx_rollups_rebuild"();
