// The dashboard's figures as hand-written SQL, sent by the benchmark process straight to PostgreSQL with `pg` (one
// connection, each statement prepared once and then executed by name): the floor the loader is compared with.
// `floorFigures` reads the same tables the loader reads (the daily rollups, the comment index, the order index);
// `sourceFigures` computes the same figures from the answer and order rows alone, which is what the dashboard would
// cost without the rollups.
const DAY = 86_400_000;

function rangeOf(range, now = Date.now()) {
  const toDay = Math.floor(now / DAY) + 1;
  const days = range === "12m" ? 365 : range === "90d" ? 90 : range === "7d" ? 7 : 30;
  return { fromDay: toDay - days, toDay, prevFromDay: toDay - 2 * days };
}

const SUMS = `SUM("answers") AS "answers", SUM("promoters") AS "promoters", SUM("passives") AS "passives", SUM("detractors") AS "detractors",
  SUM("csatAnswers") AS "csatAnswers", SUM("csatSatisfied") AS "csatSatisfied", SUM("cesAnswers") AS "cesAnswers", SUM("cesSum") AS "cesSum",
  SUM("cesSumOfSquares") AS "cesSumOfSquares", SUM("cesEasy") AS "cesEasy"`;

/** Month of a rollup day (days since 1970-01-01 UTC). */
const MONTH = `to_char(DATE '1970-01-01' + "day", 'YYYY-MM')`;

const STATEMENTS = {
  counts: `SELECT ${SUMS} FROM "CxDaily" WHERE "shop" = $1 AND "dimension" = 'all' AND "day" >= $2 AND "day" < $3`,
  orders: `SELECT SUM("orders") AS "orders", SUM("answeredOrders") AS "answered", SUM("grossMinor") AS "gross", SUM("refundedMinor") AS "refunded"
    FROM "OrderDaily" WHERE "shop" = $1 AND "day" >= $2 AND "day" < $3`,
  weekly: `SELECT ("day" - $1::int) / 7 AS "bucket", ${SUMS} FROM "CxDaily" WHERE "shop" = $2 AND "dimension" = 'all' AND "day" >= $3 AND "day" < $4 GROUP BY 1`,
  monthly: `SELECT ${MONTH} AS "bucket", ${SUMS} FROM "CxDaily" WHERE "shop" = $1 AND "dimension" = 'all' AND "day" >= $2 AND "day" < $3 GROUP BY 1`,
  segments: `SELECT "segment", ${SUMS} FROM "CxDaily" WHERE "shop" = $1 AND "dimension" = $2 AND "day" >= $3 AND "day" < $4 GROUP BY "segment"`,
  worth: `SELECT "category", SUM("answers"), SUM("answeredMinor"), SUM("repeaters"), SUM("followNetMinor") FROM "CxWorthDaily"
    WHERE "shop" = $1 AND "day" >= $2 AND "day" < $3 GROUP BY "category"`,
  comments: `SELECT "id", "orderId", "customerId", "comment", "nps", "csat", "ces", "locale", "createdAt" FROM "SurveyResponse"
    WHERE "shop" = $1 AND "createdAt" >= $2 AND "createdAt" < $3 AND "comment" IS NOT NULL ORDER BY "createdAt" DESC, "id" DESC LIMIT 10`,
  customers: `SELECT COUNT(*) FROM "Customer" WHERE "shop" = $1 AND "lastOrderAt" >= $2`,
  revenue: `SELECT ${MONTH}, SUM("liveOrders"), SUM("liveNetMinor") FROM "OrderDaily" WHERE "shop" = $1 AND "day" >= $2 GROUP BY 1`,
};

/** Runs statement `key` as a named prepared statement (parsed and planned once per connection). */
async function run(db, key, values) {
  return (await db.query({ name: `floor_${key}`, text: STATEMENTS[key], values })).rows;
}

export async function floorFigures(db, shop, range) {
  const { fromDay, toDay, prevFromDay } = rangeOf(range);
  const [current] = await run(db, "counts", [shop, fromDay, toDay]);
  await run(db, "counts", [shop, prevFromDay, fromDay]);
  await run(db, "orders", [shop, fromDay, toDay]);
  await run(db, "orders", [shop, prevFromDay, fromDay]);
  if (range === "12m") await run(db, "monthly", [shop, fromDay, toDay]);
  else await run(db, "weekly", [fromDay, shop, fromDay, toDay]);
  for (const dimension of ["tier", "customerType", "orderValue", "attribution", "refund"]) await run(db, "segments", [shop, dimension, fromDay, toDay]);
  const worthTo = Math.floor((Date.now() - 90 * DAY) / DAY);
  await run(db, "worth", [shop, worthTo - 365, worthTo]);
  await run(db, "comments", [shop, new Date(fromDay * DAY), new Date(toDay * DAY)]);
  // The orders section: 30 days against the 30 before, distinct ordering customers, six months of revenue.
  const today = Math.floor(Date.now() / DAY) + 1;
  await run(db, "orders", [shop, today - 30, today]);
  await run(db, "orders", [shop, today - 60, today - 30]);
  await run(db, "customers", [shop, new Date((today - 30) * DAY)]);
  await run(db, "revenue", [shop, today - 190]);
  return { answers: current?.answers ?? 0 };
}

const RAW_COUNTS = `COUNT(*) AS "answers", COUNT(*) FILTER (WHERE r."nps" >= 9), COUNT(*) FILTER (WHERE r."nps" BETWEEN 7 AND 8),
  COUNT(*) FILTER (WHERE r."nps" <= 6), COUNT(r."csat"), COUNT(*) FILTER (WHERE r."csat" >= 4),
  COUNT(r."ces"), SUM(r."ces"), SUM(r."ces" * r."ces"), COUNT(*) FILTER (WHERE r."ces" >= 5)`;

/** The same figures from the source rows only (joins and correlated subqueries, the best indexes available). */
export async function sourceFigures(db, shop, range) {
  const { fromDay, toDay, prevFromDay } = rangeOf(range);
  const [from, to, prev] = [new Date(fromDay * DAY), new Date(toDay * DAY), new Date(prevFromDay * DAY)];
  const all = async (text, values) => (await db.query(text, values)).rows;
  const counts = (a, b) => all(`SELECT ${RAW_COUNTS} FROM "SurveyResponse" r WHERE r."shop" = $1 AND r."createdAt" >= $2 AND r."createdAt" < $3`, [shop, a, b]);
  const [current] = await counts(from, to);
  await counts(prev, from);
  const orders = (a, b) =>
    all(
      `SELECT COUNT(*), COUNT(r."id") FROM "Order" o LEFT JOIN "SurveyResponse" r ON r."shop" = o."shop" AND r."orderId" = o."id"
       WHERE o."shop" = $1 AND o."placedAt" >= $2 AND o."placedAt" < $3 AND NOT o."test"`,
      [shop, a, b],
    );
  await orders(from, to);
  await orders(prev, from);
  const inRange = `r."shop" = $1 AND r."createdAt" >= $2 AND r."createdAt" < $3`;
  const values = [shop, from, to];
  await all(`SELECT to_char(r."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM'), ${RAW_COUNTS} FROM "SurveyResponse" r WHERE ${inRange} GROUP BY 1`, values);
  await all(
    `SELECT CASE WHEN r."customerId" IS NULL THEN 'guest' ELSE COALESCE(c."tierSlug", '') END, ${RAW_COUNTS}
     FROM "SurveyResponse" r LEFT JOIN "Customer" c ON c."shop" = r."shop" AND c."id" = r."customerId" WHERE ${inRange} GROUP BY 1`,
    values,
  );
  await all(
    `SELECT CASE WHEN r."customerId" IS NULL OR o."id" IS NULL THEN 'guest'
       WHEN EXISTS (SELECT 1 FROM "Order" p WHERE p."shop" = r."shop" AND p."customerId" = r."customerId" AND p."placedAt" < o."placedAt" AND NOT p."test")
       THEN 'returning' ELSE 'new' END, ${RAW_COUNTS}
     FROM "SurveyResponse" r LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId" WHERE ${inRange} GROUP BY 1`,
    values,
  );
  await all(
    `SELECT CASE WHEN o."id" IS NULL THEN 'unknown' WHEN o."totalMinor" < 5000 THEN '0' WHEN o."totalMinor" < 10000 THEN '1'
       WHEN o."totalMinor" < 25000 THEN '2' ELSE '3' END, ${RAW_COUNTS}
     FROM "SurveyResponse" r LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId" WHERE ${inRange} GROUP BY 1`,
    values,
  );
  await all(`SELECT COALESCE(r."attributionOption", ''), ${RAW_COUNTS} FROM "SurveyResponse" r WHERE ${inRange} GROUP BY 1`, values);
  await all(
    `SELECT CASE WHEN r."customerId" IS NULL
         THEN EXISTS (SELECT 1 FROM "Refund" x JOIN "Order" o ON o."shop" = x."shop" AND o."id" = x."orderId"
           WHERE x."shop" = r."shop" AND x."orderId" = r."orderId" AND NOT o."test" AND o."cancelledAt" IS NULL)
         ELSE EXISTS (SELECT 1 FROM "Order" o WHERE o."shop" = r."shop" AND o."customerId" = r."customerId" AND NOT o."test" AND o."cancelledAt" IS NULL
           AND EXISTS (SELECT 1 FROM "Refund" x WHERE x."shop" = o."shop" AND x."orderId" = o."id")) END, ${RAW_COUNTS}
     FROM "SurveyResponse" r WHERE ${inRange} GROUP BY 1`,
    values,
  );
  const worthTo = new Date(Math.floor((Date.now() - 90 * DAY) / DAY) * DAY);
  const follow = `f."shop" = r."shop" AND f."customerId" = r."customerId" AND NOT f."test" AND f."cancelledAt" IS NULL
    AND f."placedAt" > r."createdAt" AND f."placedAt" <= r."createdAt" + interval '90 days'`;
  await all(
    `SELECT CASE WHEN r."nps" >= 9 THEN 'promoter' WHEN r."nps" >= 7 THEN 'passive' ELSE 'detractor' END, COUNT(*), SUM(COALESCE(o."totalMinor", 0)),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM "Order" f WHERE ${follow})),
       SUM((SELECT COALESCE(SUM(f."totalMinor"), 0) FROM "Order" f WHERE ${follow}))
     FROM "SurveyResponse" r LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
     WHERE r."shop" = $1 AND r."createdAt" >= $2 AND r."createdAt" < $3 AND r."nps" IS NOT NULL AND r."customerId" IS NOT NULL GROUP BY 1`,
    [shop, new Date(worthTo.getTime() - 365 * DAY), worthTo],
  );
  return { answers: current?.answers ?? 0 };
}
