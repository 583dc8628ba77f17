-- The CX rollups on PostgreSQL (docs/decisions/011-cx-daily-rollups.md, 025-postgresql.md): PL/pgSQL triggers keep
-- the daily tables CxDaily, CxWorthDaily and OrderDaily, and SurveyResponse's derived columns (segTier,
-- segCustomerType, segBand, answeredMinor, followOrders, followNetMinor, segRefund), equal to aggregates of
-- SurveyResponse, Order, Refund and Customer, whoever writes those rows (webhooks, the import, the survey endpoint,
-- redaction, the demo seed, tests), inside the writer's own transaction. This file is the one definition: every
-- expression lives once, in a function below, and the triggers, the refresh of answers and the set-wise rebuild all
-- call the same functions. Days are UTC days ("utc_day", from the baseline); the follow-up window is 90 days.
--
-- A definition that changes later: a new migration replaces the function(s) with CREATE OR REPLACE FUNCTION (the
-- triggers call them by name, so nothing else changes) and ends with SELECT "cx_rollups_rebuild"(), which sets the
-- triggers aside, recomputes the derived columns and every rollup row set-wise from the source rows, and turns the
-- triggers back on. A bulk load (the benchmark's seed) does the same: "cx_rollup_triggers"(false), load, rebuild.
--
-- Concurrency (PostgreSQL runs transactions concurrently at READ COMMITTED):
-- * The daily tables only ever receive deltas through INSERT … ON CONFLICT DO UPDATE SET x = t.x + excluded.x (or an
--   UPDATE adding to x), which is atomic whoever else adds at the same moment. Delta rows are sorted and rows whose
--   delta is zero are left out, so an answer that moves between segments locks only the rows it changes.
-- * Deltas and derived columns read other tables (an order's refunds, an answer's order, a customer's orders), and a
--   row another transaction has written but not committed is invisible: an order and its answer, or an order and its
--   refund, arriving in two concurrent transactions would each miss the other. So every writer first takes the locks
--   of what it touches, always in this order: (1) the Customer rows involved (FOR SHARE by an answer, FOR NO KEY
--   UPDATE by an order or refund; the order ingest already holds its customer's row, which it upserts first), (2) a
--   transaction-level advisory lock per order ("cx order <shop> <id>"), (3) one per customer ("cx customer <shop>
--   <id>", which also covers customers without a Customer row); a bulk statement switches to one exclusive lock
--   (see "cx_lock"). A later statement of a PL/pgSQL function sees everything committed before it started, so
--   whichever of two writers gets a lock second sees the first one's rows (it waited for its commit) and includes
--   them; the first one never needed the second one's. tests/integration/cx-rollups.test.ts runs each such pair in
--   two open transactions.
-- * A tier change (Customer.tierSlug) takes no advisory lock: its UPDATE holds the Customer row, which an answer's
--   FOR SHARE waits for. The programme recompute changes thousands of tiers in one transaction, and advisory locks
--   live in a shared table of bounded size; row locks do not. A Customer row inserted with a tier already set (the
--   app inserts customers without one) is not there yet for an answer to wait on: that insert takes the customer's
--   advisory lock.
-- * An answer row is rewritten by whoever refreshes it under its row lock, and its BEFORE trigger recomputes the
--   derived columns from a fresh snapshot at that moment, so two refreshes of the same answer by transactions that
--   share no lock (a tier change and an order of another customer) end with the later one's complete values.
-- * What the locks cannot prevent is a cycle between two transactions that each hold several events (group commit,
--   decision 012): one holds a shop's OrderDaily row for today from an earlier event and waits for a customer that
--   the other, holding that customer, needs the same row for. PostgreSQL detects it (40P01) and cancels one; the
--   group commit runs the cancelled piece again in a later transaction (app/models/transaction.server.ts).
-- * The row-level functions run with plan_cache_mode = force_generic_plan: their statements look rows up by key, so
--   one generic plan per connection serves every call, where PL/pgSQL's default would plan each of the first calls
--   anew, and keep doing so when the generic plan's estimate looks worse (measured: an order's trigger 0.14 ms with
--   generic plans against 1.3 ms without).
-- * Deletes (shop redaction, tests) are handled per statement, set-wise, from the deleted rows (transition tables),
--   under the same locks (a whole shop's rows take the bulk lock).

-- The order value bucket of a total in minor units: how many edges it reaches. The dashboard's bands (50 / 100 / 250
-- whole units for currencies with 0, 2 or 3 decimals) are unions of these buckets, so no currency knowledge is
-- needed here. The same edges: VALUE_EDGES_MINOR in app/models/cx-scores.server.ts (tests/integration/cx-rollups.test.ts
-- checks they agree).
CREATE FUNCTION "cx_value_bucket"(total bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT width_bucket(total, '{50,100,250,5000,10000,25000,50000,100000,250000}'::bigint[])::text $$;

-- The derived columns of an answer to order p_order_id given at p_at by customer p_customer_id (NULL: a guest), from
-- the other tables (README "How the scores are computed"):
--   segTier          the customer's current tier slug ('' without one), 'guest' without a customer;
--   segCustomerType  'returning' when the customer has an earlier non-test order than the answered one, else 'new';
--                    'guest' without a customer or before the order arrived;
--   segBand          the answered order's value bucket, 'unknown' before it arrived; answeredMinor its total (0);
--   followOrders, followNetMinor  the customer's orders placed in the 90 days after the answer (not test, not
--                    cancelled), and their totals less their refunds;
--   segRefund        'refund' when the customer has a refund on an order that is not a test or cancelled (a guest: on
--                    the answered order), else 'none'.
CREATE FUNCTION "cx_answer_derived"(p_shop text, p_order_id text, p_customer_id text, p_at timestamptz)
  RETURNS TABLE ("segTier" text, "segCustomerType" text, "segBand" text, "answeredMinor" bigint, "followOrders" integer,
                 "followNetMinor" bigint, "segRefund" text)
  LANGUAGE sql STABLE
  AS $$
  SELECT
    CASE WHEN p_customer_id IS NULL THEN 'guest'
      ELSE COALESCE((SELECT c."tierSlug" FROM "Customer" c WHERE c."shop" = p_shop AND c."id" = p_customer_id), '') END,
    CASE WHEN p_customer_id IS NULL OR o."id" IS NULL THEN 'guest'
      WHEN EXISTS (SELECT 1 FROM "Order" p WHERE p."shop" = p_shop AND p."customerId" = p_customer_id AND NOT p."test"
                     AND p."placedAt" < o."placedAt") THEN 'returning'
      ELSE 'new' END,
    COALESCE("cx_value_bucket"(o."totalMinor"), 'unknown'),
    COALESCE(o."totalMinor", 0),
    f."orders"::integer,
    COALESCE(f."netMinor", 0)::bigint,
    CASE WHEN p_customer_id IS NULL THEN
        CASE WHEN NOT o."test" AND o."cancelledAt" IS NULL
               AND EXISTS (SELECT 1 FROM "Refund" x WHERE x."shop" = p_shop AND x."orderId" = p_order_id) THEN 'refund'
          ELSE 'none' END
      WHEN EXISTS (SELECT 1 FROM "Order" ro WHERE ro."shop" = p_shop AND ro."customerId" = p_customer_id AND NOT ro."test"
                     AND ro."cancelledAt" IS NULL
                     AND EXISTS (SELECT 1 FROM "Refund" x WHERE x."shop" = ro."shop" AND x."orderId" = ro."id")) THEN 'refund'
      ELSE 'none' END
  FROM (SELECT 1) AS one
  LEFT JOIN "Order" o ON o."shop" = p_shop AND o."id" = p_order_id
  CROSS JOIN LATERAL (
    SELECT COUNT(*) AS "orders",
           SUM(x."totalMinor" - COALESCE((SELECT SUM(y."shopAmountMinor") FROM "Refund" y
                                          WHERE y."shop" = x."shop" AND y."orderId" = x."id"), 0)) AS "netMinor"
    FROM "Order" x
    WHERE p_customer_id IS NOT NULL AND x."shop" = p_shop AND x."customerId" = p_customer_id AND NOT x."test"
      AND x."cancelledAt" IS NULL AND x."placedAt" > p_at AND x."placedAt" <= p_at + interval '90 days'
  ) AS f
$$;

-- What answer row r adds to CxDaily (direction 1) or takes from it (-1): one cell per dimension ('all' with segment
-- '', tier, customerType, orderValue, attribution with '' when not answered, refund) on the UTC day it was given.
-- No rows for a NULL row (OLD of an INSERT, NEW of a DELETE).
CREATE FUNCTION "cx_answer_cells"(r "SurveyResponse", direction integer)
  RETURNS TABLE ("shop" text, "dimension" text, "day" integer, "segment" text, "answers" bigint, "promoters" bigint,
                 "passives" bigint, "detractors" bigint, "csatAnswers" bigint, "csatSatisfied" bigint, "cesAnswers" bigint,
                 "cesSum" bigint, "cesSumOfSquares" bigint, "cesEasy" bigint)
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT (r)."shop", d."dimension", "utc_day"((r)."createdAt"), d."segment",
    direction::bigint,
    direction * COALESCE(((r)."nps" >= 9)::int, 0),
    direction * COALESCE(((r)."nps" BETWEEN 7 AND 8)::int, 0),
    direction * COALESCE(((r)."nps" <= 6)::int, 0),
    direction * ((r)."csat" IS NOT NULL)::int,
    direction * COALESCE(((r)."csat" >= 4)::int, 0),
    direction * ((r)."ces" IS NOT NULL)::int,
    direction * COALESCE((r)."ces", 0)::bigint,
    direction * COALESCE((r)."ces" * (r)."ces", 0)::bigint,
    direction * COALESCE(((r)."ces" >= 5)::int, 0)
  FROM (VALUES ('all', ''), ('tier', (r)."segTier"), ('customerType', (r)."segCustomerType"), ('orderValue', (r)."segBand"),
               ('attribution', COALESCE((r)."attributionOption", '')), ('refund', (r)."segRefund")) AS d ("dimension", "segment")
  WHERE (r)."shop" IS NOT NULL
$$;

-- What answer row r adds to (or takes from) CxWorthDaily: answers with an NPS score and a customer only.
CREATE FUNCTION "cx_worth_cells"(r "SurveyResponse", direction integer)
  RETURNS TABLE ("shop" text, "day" integer, "category" text, "answers" bigint, "answeredMinor" bigint, "repeaters" bigint,
                 "followNetMinor" bigint)
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT (r)."shop", "utc_day"((r)."createdAt"),
    CASE WHEN (r)."nps" >= 9 THEN 'promoter' WHEN (r)."nps" >= 7 THEN 'passive' ELSE 'detractor' END,
    direction::bigint, direction * (r)."answeredMinor", (direction * ((r)."followOrders" > 0)::int)::bigint,
    direction * (r)."followNetMinor"
  WHERE (r)."shop" IS NOT NULL AND (r)."nps" IS NOT NULL AND (r)."customerId" IS NOT NULL
$$;

-- What order row o adds to (or takes from) OrderDaily on the UTC day it was placed, with its refunds and its answer
-- as they are now: non-test orders only. A cancelled order counts in orders and gross, not in the live figures.
CREATE FUNCTION "cx_order_cells"(o "Order", direction integer)
  RETURNS TABLE ("shop" text, "day" integer, "orders" bigint, "grossMinor" bigint, "refundedMinor" bigint,
                 "liveOrders" bigint, "liveNetMinor" bigint, "answeredOrders" bigint, "liveGrossMinor" bigint,
                 "refundedOrders" bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT (o)."shop", "utc_day"((o)."placedAt"),
    direction::bigint,
    direction * (o)."totalMinor",
    direction * x."refunded",
    (direction * l."live"::int)::bigint,
    direction * CASE WHEN l."live" THEN (o)."totalMinor" - x."refunded" ELSE 0 END,
    (direction * (EXISTS (SELECT 1 FROM "SurveyResponse" r WHERE r."shop" = (o)."shop" AND r."orderId" = (o)."id"))::int)::bigint,
    direction * CASE WHEN l."live" THEN (o)."totalMinor" ELSE 0 END,
    (direction * (l."live" AND x."refunds" > 0)::int)::bigint
  FROM (SELECT (o)."cancelledAt" IS NULL AS "live") AS l,
       (SELECT COALESCE(SUM(y."shopAmountMinor"), 0)::bigint AS "refunded", COUNT(*) AS "refunds"
        FROM "Refund" y WHERE y."shop" = (o)."shop" AND y."orderId" = (o)."id") AS x
  WHERE (o)."shop" IS NOT NULL AND NOT (o)."test"
$$;

-- The locks a writer takes before it reads what its deltas and derived columns depend on, in the one order every
-- writer follows (see the top of this file): Customer rows (p_row_mode 'share' or 'update', or 'none'), then an
-- advisory lock per order, then one per customer, each kind sorted. NULL ids are skipped; a lock already held is free.
-- Advisory locks live in a shared table of bounded size (max_locks_per_transaction × connections), so a transaction
-- that would pass 500 of them (a bulk statement, not a group of webhook events) takes the exclusive "cx bulk" lock
-- instead from then on: every other writer holds it shared while it takes its own locks, so they all wait for the bulk
-- transaction (or it for them) as a whole.
CREATE FUNCTION "cx_lock"(p_shop text, p_orders text[], p_customers text[], p_row_mode text) RETURNS void
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  k text;
  v_orders text[] := ARRAY(SELECT DISTINCT u FROM unnest(p_orders) AS u WHERE u IS NOT NULL ORDER BY u);
  v_customers text[] := ARRAY(SELECT DISTINCT u FROM unnest(p_customers) AS u WHERE u IS NOT NULL ORDER BY u);
  taken integer := COALESCE(NULLIF(current_setting('afterglow.cx_locks', true), '')::integer, 0);
BEGIN
  IF p_row_mode = 'share' THEN
    PERFORM 1 FROM "Customer" c WHERE c."shop" = p_shop AND c."id" = ANY (v_customers) ORDER BY c."id" FOR SHARE;
  ELSIF p_row_mode = 'update' THEN
    PERFORM 1 FROM "Customer" c WHERE c."shop" = p_shop AND c."id" = ANY (v_customers) ORDER BY c."id" FOR NO KEY UPDATE;
  END IF;
  IF taken < 0 THEN
    RETURN; -- this transaction holds the exclusive bulk lock
  ELSIF taken + cardinality(v_orders) + cardinality(v_customers) > 500 THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('cx bulk', 0));
    PERFORM set_config('afterglow.cx_locks', '-1', true);
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('cx bulk', 0));
  FOREACH k IN ARRAY v_orders LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('cx order ' || p_shop || ' ' || k, 0));
  END LOOP;
  FOREACH k IN ARRAY v_customers LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('cx customer ' || p_shop || ' ' || k, 0));
  END LOOP;
  PERFORM set_config('afterglow.cx_locks', (taken + cardinality(v_orders) + cardinality(v_customers))::text, true);
END $$;

-- Recomputes the derived columns of the answers to orders p_orders and of customers p_customers, where they changed:
-- the UPDATE rewrites those rows, their BEFORE trigger ("cx_answer_derive") computes the values, their AFTER trigger
-- moves them between rollup cells.
CREATE FUNCTION "cx_refresh_answers"(p_shop text, p_orders text[], p_customers text[]) RETURNS void
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  UPDATE "SurveyResponse" r SET "segTier" = r."segTier"
  WHERE r."shop" = p_shop AND (r."orderId" = ANY (p_orders) OR r."customerId" = ANY (p_customers))
    AND EXISTS (
      SELECT 1 FROM "cx_answer_derived"(r."shop", r."orderId", r."customerId", r."createdAt") d
      WHERE (d."segTier", d."segCustomerType", d."segBand", d."answeredMinor", d."followOrders", d."followNetMinor", d."segRefund")
        IS DISTINCT FROM (r."segTier", r."segCustomerType", r."segBand", r."answeredMinor", r."followOrders", r."followNetMinor", r."segRefund"));
END $$;

-- SurveyResponse, BEFORE INSERT OR UPDATE: the row's derived columns, computed whenever the row is written. A new
-- answer, or one whose order, customer or time changed, first takes its locks (its customer's row FOR SHARE, its
-- order, its customer), so a concurrent order, refund or tier change of the same order or customer is either seen
-- here or sees this row when it refreshes.
CREATE FUNCTION "cx_answer_derive"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  IF TG_OP = 'INSERT' OR (NEW."orderId", NEW."customerId", NEW."createdAt") IS DISTINCT FROM (OLD."orderId", OLD."customerId", OLD."createdAt") THEN
    PERFORM "cx_lock"(NEW."shop", ARRAY[NEW."orderId", OLD."orderId"], ARRAY[NEW."customerId"], 'share');
  END IF;
  SELECT d."segTier", d."segCustomerType", d."segBand", d."answeredMinor", d."followOrders", d."followNetMinor", d."segRefund"
    INTO NEW."segTier", NEW."segCustomerType", NEW."segBand", NEW."answeredMinor", NEW."followOrders", NEW."followNetMinor", NEW."segRefund"
    FROM "cx_answer_derived"(NEW."shop", NEW."orderId", NEW."customerId", NEW."createdAt") d;
  RETURN NEW;
END $$;

-- SurveyResponse, AFTER INSERT OR UPDATE (a row): the answered-orders count of the order's day when an answer arrives
-- for an order (or moves to another), then the old row's cells out and the new row's in. OrderDaily rows always come
-- before CxDaily and CxWorthDaily rows, as in an order's or refund's trigger (its day's figures, then the answers it
-- refreshes): two writers that take the same daily rows in opposite orders would deadlock.
CREATE FUNCTION "cx_answer_rollup"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  IF TG_OP = 'INSERT' OR OLD."orderId" IS DISTINCT FROM NEW."orderId" THEN
    UPDATE "OrderDaily" t SET "answeredOrders" = t."answeredOrders" + d."delta"
    FROM (
      SELECT o."shop", "utc_day"(o."placedAt") AS "day", SUM(k."delta") AS "delta"
      FROM (VALUES (OLD."shop", OLD."orderId", -1), (NEW."shop", NEW."orderId", 1)) AS k ("shop", "orderId", "delta")
      JOIN "Order" o ON o."shop" = k."shop" AND o."id" = k."orderId" AND NOT o."test"
      GROUP BY 1, 2
    ) AS d
    WHERE t."shop" = d."shop" AND t."day" = d."day" AND d."delta" <> 0;
  END IF;
  INSERT INTO "CxDaily" AS t ("shop", "dimension", "day", "segment", "answers", "promoters", "passives", "detractors",
    "csatAnswers", "csatSatisfied", "cesAnswers", "cesSum", "cesSumOfSquares", "cesEasy")
  SELECT c."shop", c."dimension", c."day", c."segment", SUM(c."answers"), SUM(c."promoters"), SUM(c."passives"),
    SUM(c."detractors"), SUM(c."csatAnswers"), SUM(c."csatSatisfied"), SUM(c."cesAnswers"), SUM(c."cesSum"),
    SUM(c."cesSumOfSquares"), SUM(c."cesEasy")
  FROM (SELECT * FROM "cx_answer_cells"(OLD, -1) UNION ALL SELECT * FROM "cx_answer_cells"(NEW, 1)) AS c
  GROUP BY c."shop", c."dimension", c."day", c."segment"
  HAVING (SUM(c."answers"), SUM(c."promoters"), SUM(c."passives"), SUM(c."detractors"), SUM(c."csatAnswers"),
          SUM(c."csatSatisfied"), SUM(c."cesAnswers"), SUM(c."cesSum"), SUM(c."cesSumOfSquares"), SUM(c."cesEasy"))
         <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
  ORDER BY c."shop", c."dimension", c."day", c."segment"
  ON CONFLICT ("shop", "dimension", "day", "segment") DO UPDATE SET
    "answers" = t."answers" + excluded."answers", "promoters" = t."promoters" + excluded."promoters",
    "passives" = t."passives" + excluded."passives", "detractors" = t."detractors" + excluded."detractors",
    "csatAnswers" = t."csatAnswers" + excluded."csatAnswers", "csatSatisfied" = t."csatSatisfied" + excluded."csatSatisfied",
    "cesAnswers" = t."cesAnswers" + excluded."cesAnswers", "cesSum" = t."cesSum" + excluded."cesSum",
    "cesSumOfSquares" = t."cesSumOfSquares" + excluded."cesSumOfSquares", "cesEasy" = t."cesEasy" + excluded."cesEasy";

  INSERT INTO "CxWorthDaily" AS t ("shop", "day", "category", "answers", "answeredMinor", "repeaters", "followNetMinor")
  SELECT c."shop", c."day", c."category", SUM(c."answers"), SUM(c."answeredMinor"), SUM(c."repeaters"), SUM(c."followNetMinor")
  FROM (SELECT * FROM "cx_worth_cells"(OLD, -1) UNION ALL SELECT * FROM "cx_worth_cells"(NEW, 1)) AS c
  GROUP BY c."shop", c."day", c."category"
  HAVING (SUM(c."answers"), SUM(c."answeredMinor"), SUM(c."repeaters"), SUM(c."followNetMinor")) <> (0, 0, 0, 0)
  ORDER BY c."shop", c."day", c."category"
  ON CONFLICT ("shop", "day", "category") DO UPDATE SET
    "answers" = t."answers" + excluded."answers", "answeredMinor" = t."answeredMinor" + excluded."answeredMinor",
    "repeaters" = t."repeaters" + excluded."repeaters", "followNetMinor" = t."followNetMinor" + excluded."followNetMinor";

  RETURN NULL;
END $$;

-- SurveyResponse, AFTER DELETE (a statement): the deleted answers' cells out, set-wise, under their orders' locks.
CREATE FUNCTION "cx_answers_deleted"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", s."orders", NULL, 'none')
  FROM (SELECT g."shop", array_agg(g."orderId") AS "orders" FROM "gone" AS g GROUP BY g."shop") AS s;
  UPDATE "OrderDaily" t SET "answeredOrders" = t."answeredOrders" - d."answers"
  FROM (
    SELECT o."shop", "utc_day"(o."placedAt") AS "day", COUNT(*) AS "answers"
    FROM "gone" AS g JOIN "Order" o ON o."shop" = g."shop" AND o."id" = g."orderId" AND NOT o."test"
    GROUP BY 1, 2
  ) AS d
  WHERE t."shop" = d."shop" AND t."day" = d."day";
  INSERT INTO "CxDaily" AS t ("shop", "dimension", "day", "segment", "answers", "promoters", "passives", "detractors",
    "csatAnswers", "csatSatisfied", "cesAnswers", "cesSum", "cesSumOfSquares", "cesEasy")
  SELECT c."shop", c."dimension", c."day", c."segment", SUM(c."answers"), SUM(c."promoters"), SUM(c."passives"),
    SUM(c."detractors"), SUM(c."csatAnswers"), SUM(c."csatSatisfied"), SUM(c."cesAnswers"), SUM(c."cesSum"),
    SUM(c."cesSumOfSquares"), SUM(c."cesEasy")
  FROM "gone" AS g CROSS JOIN LATERAL "cx_answer_cells"(g::"SurveyResponse", -1) AS c
  GROUP BY c."shop", c."dimension", c."day", c."segment"
  ORDER BY c."shop", c."dimension", c."day", c."segment"
  ON CONFLICT ("shop", "dimension", "day", "segment") DO UPDATE SET
    "answers" = t."answers" + excluded."answers", "promoters" = t."promoters" + excluded."promoters",
    "passives" = t."passives" + excluded."passives", "detractors" = t."detractors" + excluded."detractors",
    "csatAnswers" = t."csatAnswers" + excluded."csatAnswers", "csatSatisfied" = t."csatSatisfied" + excluded."csatSatisfied",
    "cesAnswers" = t."cesAnswers" + excluded."cesAnswers", "cesSum" = t."cesSum" + excluded."cesSum",
    "cesSumOfSquares" = t."cesSumOfSquares" + excluded."cesSumOfSquares", "cesEasy" = t."cesEasy" + excluded."cesEasy";

  INSERT INTO "CxWorthDaily" AS t ("shop", "day", "category", "answers", "answeredMinor", "repeaters", "followNetMinor")
  SELECT c."shop", c."day", c."category", SUM(c."answers"), SUM(c."answeredMinor"), SUM(c."repeaters"), SUM(c."followNetMinor")
  FROM "gone" AS g CROSS JOIN LATERAL "cx_worth_cells"(g::"SurveyResponse", -1) AS c
  GROUP BY c."shop", c."day", c."category"
  ORDER BY c."shop", c."day", c."category"
  ON CONFLICT ("shop", "day", "category") DO UPDATE SET
    "answers" = t."answers" + excluded."answers", "answeredMinor" = t."answeredMinor" + excluded."answeredMinor",
    "repeaters" = t."repeaters" + excluded."repeaters", "followNetMinor" = t."followNetMinor" + excluded."followNetMinor";

  RETURN NULL;
END $$;

-- Order, AFTER INSERT OR UPDATE (a row): its day's order figures (old version out, new in), then the answers that
-- depend on it: the answer given for it, and every answer of its customer (and of its previous customer).
CREATE FUNCTION "cx_order_rollup"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  PERFORM "cx_lock"(NEW."shop", ARRAY[NEW."id", OLD."id"], ARRAY[NEW."customerId", OLD."customerId"], 'update');
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

-- Order, AFTER DELETE (a statement): the deleted orders' figures out, and their answers and customers' answers
-- refreshed, set-wise, under their locks.
CREATE FUNCTION "cx_orders_deleted"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", s."orders", s."customers", 'update')
  FROM (SELECT g."shop", array_agg(g."id") AS "orders", array_agg(g."customerId") AS "customers" FROM "gone" AS g GROUP BY g."shop") AS s;
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

-- A refund's amount added to (direction 1) or taken from (-1) the refunded and net figures of its order's day, and its
-- order counted in (or out of) the refunded orders when it is the order's only refund. Nothing while its order is
-- unknown: the order brings its refunds in when it arrives (cx_order_cells).
CREATE FUNCTION "cx_refund_delta"(x "Refund", direction integer) RETURNS void
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  UPDATE "OrderDaily" t SET
    "refundedMinor" = t."refundedMinor" + direction * COALESCE(x."shopAmountMinor", 0),
    "liveNetMinor" = t."liveNetMinor" - direction * CASE WHEN o."cancelledAt" IS NULL THEN COALESCE(x."shopAmountMinor", 0) ELSE 0 END,
    "refundedOrders" = t."refundedOrders" + direction * (o."cancelledAt" IS NULL AND NOT EXISTS (
      SELECT 1 FROM "Refund" y WHERE y."shop" = x."shop" AND y."orderId" = x."orderId" AND y."id" <> x."id"))::int
  FROM "Order" o
  WHERE x."shop" IS NOT NULL AND o."shop" = x."shop" AND o."id" = x."orderId" AND NOT o."test"
    AND t."shop" = o."shop" AND t."day" = "utc_day"(o."placedAt");
END $$;

-- Refund, AFTER INSERT OR UPDATE (a row): its order's day figures, then the answers that depend on it: its order's
-- customer's answers (90-day net revenue, refund segment) and a guest answer of its order (refund segment).
CREATE FUNCTION "cx_refund_rollup"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
DECLARE
  v_orders text[] := ARRAY[NEW."orderId", OLD."orderId"];
  v_customers text[];
BEGIN
  v_customers := ARRAY(SELECT o."customerId" FROM "Order" o WHERE o."shop" = NEW."shop" AND o."id" = ANY (v_orders));
  PERFORM "cx_lock"(NEW."shop", v_orders, v_customers, 'update');
  -- Holding the order locks, the orders' customers can no longer change under us; lock one that just did.
  v_customers := ARRAY(SELECT o."customerId" FROM "Order" o WHERE o."shop" = NEW."shop" AND o."id" = ANY (v_orders));
  PERFORM "cx_lock"(NEW."shop", NULL, v_customers, 'update');
  IF TG_OP = 'UPDATE' THEN
    PERFORM "cx_refund_delta"(OLD, -1);
  END IF;
  PERFORM "cx_refund_delta"(NEW, 1);
  PERFORM "cx_refresh_answers"(NEW."shop", v_orders, v_customers);
  RETURN NULL;
END $$;

-- Refund, AFTER DELETE (a statement): per order and day, the deleted amounts out, and the order out of the refunded
-- orders when none of its refunds is left; then the answers that depended on them, set-wise, under their locks.
CREATE FUNCTION "cx_refunds_deleted"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", s."orders",
      ARRAY(SELECT o."customerId" FROM "Order" o WHERE o."shop" = s."shop" AND o."id" = ANY (s."orders")), 'update')
  FROM (SELECT g."shop", array_agg(DISTINCT g."orderId") AS "orders" FROM "gone" AS g GROUP BY g."shop") AS s;
  UPDATE "OrderDaily" t SET
    "refundedMinor" = t."refundedMinor" - d."amount",
    "liveNetMinor" = t."liveNetMinor" + d."liveAmount",
    "refundedOrders" = t."refundedOrders" - d."orders"
  FROM (
    SELECT o."shop", "utc_day"(o."placedAt") AS "day", SUM(g."amount") AS "amount",
      SUM(CASE WHEN o."cancelledAt" IS NULL THEN g."amount" ELSE 0 END) AS "liveAmount",
      COUNT(*) FILTER (WHERE o."cancelledAt" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Refund" y WHERE y."shop" = o."shop" AND y."orderId" = o."id")) AS "orders"
    FROM (SELECT g."shop", g."orderId", COALESCE(SUM(g."shopAmountMinor"), 0) AS "amount" FROM "gone" AS g GROUP BY 1, 2) AS g
    JOIN "Order" o ON o."shop" = g."shop" AND o."id" = g."orderId" AND NOT o."test"
    GROUP BY 1, 2
  ) AS d
  WHERE t."shop" = d."shop" AND t."day" = d."day";
  PERFORM "cx_refresh_answers"(s."shop", s."orders",
      ARRAY(SELECT o."customerId" FROM "Order" o WHERE o."shop" = s."shop" AND o."id" = ANY (s."orders")))
  FROM (SELECT g."shop", array_agg(DISTINCT g."orderId") AS "orders" FROM "gone" AS g GROUP BY g."shop") AS s;
  RETURN NULL;
END $$;

-- Customer, AFTER INSERT (with a tier), UPDATE OF tierSlug (a row, only when the tier changed): the tier segment of
-- its answers. A tier change needs no advisory lock: the statement holds the row, and an answer reads it FOR SHARE.
-- A new row is invisible to an answer's FOR SHARE until it commits, so an insert takes the customer's lock.
CREATE FUNCTION "cx_customer_rollup"() RETURNS trigger
  LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "cx_lock"(NEW."shop", NULL, ARRAY[NEW."id"], 'none');
  END IF;
  PERFORM "cx_refresh_answers"(NEW."shop", NULL, ARRAY[NEW."id"]);
  RETURN NULL;
END $$;

-- Customer, AFTER DELETE (a statement): the answers of deleted customers that had a tier go back to "no tier".
CREATE FUNCTION "cx_customers_deleted"() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM "cx_lock"(s."shop", NULL, s."customers", 'none')
  FROM (SELECT g."shop", array_agg(g."id") AS "customers" FROM "gone" AS g WHERE g."tierSlug" IS NOT NULL GROUP BY g."shop") AS s;
  PERFORM "cx_refresh_answers"(s."shop", NULL, s."customers")
  FROM (SELECT g."shop", array_agg(g."id") AS "customers" FROM "gone" AS g WHERE g."tierSlug" IS NOT NULL GROUP BY g."shop") AS s;
  RETURN NULL;
END $$;

CREATE TRIGGER "cx_answer_derive" BEFORE INSERT OR UPDATE ON "SurveyResponse"
  FOR EACH ROW EXECUTE FUNCTION "cx_answer_derive"();
CREATE TRIGGER "cx_answer_insert" AFTER INSERT ON "SurveyResponse"
  FOR EACH ROW EXECUTE FUNCTION "cx_answer_rollup"();
CREATE TRIGGER "cx_answer_update" AFTER UPDATE ON "SurveyResponse"
  FOR EACH ROW
  WHEN ((OLD."nps", OLD."csat", OLD."ces", OLD."attributionOption", OLD."createdAt", OLD."customerId", OLD."orderId",
         OLD."segTier", OLD."segCustomerType", OLD."segBand", OLD."answeredMinor", OLD."followOrders", OLD."followNetMinor",
         OLD."segRefund")
        IS DISTINCT FROM
        (NEW."nps", NEW."csat", NEW."ces", NEW."attributionOption", NEW."createdAt", NEW."customerId", NEW."orderId",
         NEW."segTier", NEW."segCustomerType", NEW."segBand", NEW."answeredMinor", NEW."followOrders", NEW."followNetMinor",
         NEW."segRefund"))
  EXECUTE FUNCTION "cx_answer_rollup"();
CREATE TRIGGER "cx_answers_deleted" AFTER DELETE ON "SurveyResponse"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT EXECUTE FUNCTION "cx_answers_deleted"();

CREATE TRIGGER "cx_order_insert" AFTER INSERT ON "Order"
  FOR EACH ROW EXECUTE FUNCTION "cx_order_rollup"();
CREATE TRIGGER "cx_order_update" AFTER UPDATE ON "Order"
  FOR EACH ROW
  WHEN ((OLD."id", OLD."totalMinor", OLD."placedAt", OLD."test", OLD."cancelledAt", OLD."customerId")
        IS DISTINCT FROM (NEW."id", NEW."totalMinor", NEW."placedAt", NEW."test", NEW."cancelledAt", NEW."customerId"))
  EXECUTE FUNCTION "cx_order_rollup"();
CREATE TRIGGER "cx_orders_deleted" AFTER DELETE ON "Order"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT EXECUTE FUNCTION "cx_orders_deleted"();

CREATE TRIGGER "cx_refund_insert" AFTER INSERT ON "Refund"
  FOR EACH ROW EXECUTE FUNCTION "cx_refund_rollup"();
CREATE TRIGGER "cx_refund_update" AFTER UPDATE ON "Refund"
  FOR EACH ROW
  WHEN ((OLD."id", OLD."orderId", OLD."shopAmountMinor") IS DISTINCT FROM (NEW."id", NEW."orderId", NEW."shopAmountMinor"))
  EXECUTE FUNCTION "cx_refund_rollup"();
CREATE TRIGGER "cx_refunds_deleted" AFTER DELETE ON "Refund"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT EXECUTE FUNCTION "cx_refunds_deleted"();

CREATE TRIGGER "cx_customer_insert" AFTER INSERT ON "Customer"
  FOR EACH ROW WHEN (NEW."tierSlug" IS NOT NULL) EXECUTE FUNCTION "cx_customer_rollup"();
CREATE TRIGGER "cx_customer_tier" AFTER UPDATE OF "tierSlug" ON "Customer"
  FOR EACH ROW WHEN (OLD."tierSlug" IS DISTINCT FROM NEW."tierSlug") EXECUTE FUNCTION "cx_customer_rollup"();
CREATE TRIGGER "cx_customers_deleted" AFTER DELETE ON "Customer"
  REFERENCING OLD TABLE AS "gone" FOR EACH STATEMENT EXECUTE FUNCTION "cx_customers_deleted"();

-- Turns every rollup trigger (the "cx_" triggers of the four source tables) off or on, for a bulk load followed by
-- "cx_rollups_rebuild"(). ALTER TABLE holds the tables until the transaction ends.
CREATE FUNCTION "cx_rollup_triggers"(enabled boolean) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT tg.tgrelid::regclass AS "relation", tg.tgname AS "name" FROM pg_trigger tg
    WHERE NOT tg.tgisinternal AND tg.tgname LIKE 'cx\_%'
      AND tg.tgrelid IN ('"SurveyResponse"'::regclass, '"Order"'::regclass, '"Refund"'::regclass, '"Customer"'::regclass)
    ORDER BY 1, 2
  LOOP
    EXECUTE format('ALTER TABLE %s %s TRIGGER %I', t."relation", CASE WHEN enabled THEN 'ENABLE' ELSE 'DISABLE' END, t."name");
  END LOOP;
END $$;

-- Recomputes everything from the source rows, set-wise: the derived columns of every answer, then every row of
-- CxDaily, CxWorthDaily and OrderDaily, with the triggers set aside meanwhile (and on again at the end). Writers wait
-- until the transaction that runs it ends.
CREATE FUNCTION "cx_rollups_rebuild"() RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  LOCK TABLE "SurveyResponse", "Order", "Refund", "Customer" IN SHARE ROW EXCLUSIVE MODE;
  PERFORM "cx_rollup_triggers"(false);
  UPDATE "SurveyResponse" r SET
    "segTier" = d."segTier", "segCustomerType" = d."segCustomerType", "segBand" = d."segBand",
    "answeredMinor" = d."answeredMinor", "followOrders" = d."followOrders", "followNetMinor" = d."followNetMinor",
    "segRefund" = d."segRefund"
  FROM (SELECT s."id", f.* FROM "SurveyResponse" s
        CROSS JOIN LATERAL "cx_answer_derived"(s."shop", s."orderId", s."customerId", s."createdAt") f) AS d
  WHERE r."id" = d."id"
    AND (r."segTier", r."segCustomerType", r."segBand", r."answeredMinor", r."followOrders", r."followNetMinor", r."segRefund")
        IS DISTINCT FROM (d."segTier", d."segCustomerType", d."segBand", d."answeredMinor", d."followOrders", d."followNetMinor", d."segRefund");
  DELETE FROM "CxDaily";
  DELETE FROM "CxWorthDaily";
  DELETE FROM "OrderDaily";
  INSERT INTO "OrderDaily" ("shop", "day", "orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor",
    "answeredOrders", "liveGrossMinor", "refundedOrders")
  SELECT c."shop", c."day", SUM(c."orders"), SUM(c."grossMinor"), SUM(c."refundedMinor"), SUM(c."liveOrders"),
    SUM(c."liveNetMinor"), SUM(c."answeredOrders"), SUM(c."liveGrossMinor"), SUM(c."refundedOrders")
  FROM "Order" o CROSS JOIN LATERAL "cx_order_cells"(o, 1) AS c
  GROUP BY c."shop", c."day";
  INSERT INTO "CxDaily" ("shop", "dimension", "day", "segment", "answers", "promoters", "passives", "detractors",
    "csatAnswers", "csatSatisfied", "cesAnswers", "cesSum", "cesSumOfSquares", "cesEasy")
  SELECT c."shop", c."dimension", c."day", c."segment", SUM(c."answers"), SUM(c."promoters"), SUM(c."passives"),
    SUM(c."detractors"), SUM(c."csatAnswers"), SUM(c."csatSatisfied"), SUM(c."cesAnswers"), SUM(c."cesSum"),
    SUM(c."cesSumOfSquares"), SUM(c."cesEasy")
  FROM "SurveyResponse" r CROSS JOIN LATERAL "cx_answer_cells"(r, 1) AS c
  GROUP BY c."shop", c."dimension", c."day", c."segment";
  INSERT INTO "CxWorthDaily" ("shop", "day", "category", "answers", "answeredMinor", "repeaters", "followNetMinor")
  SELECT c."shop", c."day", c."category", SUM(c."answers"), SUM(c."answeredMinor"), SUM(c."repeaters"), SUM(c."followNetMinor")
  FROM "SurveyResponse" r CROSS JOIN LATERAL "cx_worth_cells"(r, 1) AS c
  GROUP BY c."shop", c."day", c."category";
  PERFORM "cx_rollup_triggers"(true);
END $$;

-- Rows that existed before the triggers (none in a new database).
SELECT "cx_rollups_rebuild"();
