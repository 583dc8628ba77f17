#!/usr/bin/env node
/**
 * Generates the SQL of the CX rollups (docs/decisions/011-cx-daily-rollups.md): the triggers that keep the daily
 * tables CxDaily, CxWorthDaily and OrderDaily equal to aggregates of SurveyResponse, Order, Refund and Customer,
 * and the backfill of rows that existed before. SQLite has no procedures, so the same expressions recur in several
 * triggers; generating them keeps those copies identical.
 *
 *   node prisma/sql/cx-rollups.mjs > part-of-a-migration.sql             backfill of empty rollups, then triggers
 *   node prisma/sql/cx-rollups.mjs --rebuild > part-of-a-migration.sql   a changed definition: drop the triggers,
 *                                                                        recompute everything, recreate them
 */
export const DAY_MS = 86_400_000;
export const FOLLOW_MS = 90 * DAY_MS;
/**
 * Order value buckets in minor units. The dashboard's bands (50 / 100 / 250 whole units of the shop currency) are
 * unions of these for currencies with 0, 2 or 3 decimals, so the rollup needs no currency knowledge.
 */
export const VALUE_EDGES_MINOR = [50, 100, 250, 5000, 10000, 25000, 50000, 100000, 250000];

const q = (name) => `"${name}"`;

/** The value bucket of an order total: how many edges it reaches. */
const bucket = (total) => `CAST(${VALUE_EDGES_MINOR.map((e) => `(${total} >= ${e})`).join(" + ")} AS TEXT)`;

/** Columns of a SurveyResponse row `r`, computed from the other tables (the definitions in README "How the scores are computed"). */
const derived = (r) => ({
  segTier: `CASE WHEN ${r}.customerId IS NULL THEN 'guest'
      ELSE COALESCE((SELECT c.tierSlug FROM ${q("Customer")} c WHERE c.shop = ${r}.shop AND c.id = ${r}.customerId), '') END`,
  segCustomerType: `CASE WHEN ${r}.customerId IS NULL
        OR NOT EXISTS (SELECT 1 FROM ${q("Order")} o WHERE o.shop = ${r}.shop AND o.id = ${r}.orderId) THEN 'guest'
      WHEN EXISTS (SELECT 1 FROM ${q("Order")} p INDEXED BY ${q("Order_shop_customerId_placedAt_idx")}
        WHERE p.shop = ${r}.shop AND p.customerId = ${r}.customerId AND p.test = 0
          AND p.placedAt < (SELECT o.placedAt FROM ${q("Order")} o WHERE o.shop = ${r}.shop AND o.id = ${r}.orderId)) THEN 'returning'
      ELSE 'new' END`,
  segBand: `COALESCE((SELECT ${bucket("o.totalMinor")} FROM ${q("Order")} o WHERE o.shop = ${r}.shop AND o.id = ${r}.orderId), 'unknown')`,
  answeredMinor: `COALESCE((SELECT o.totalMinor FROM ${q("Order")} o WHERE o.shop = ${r}.shop AND o.id = ${r}.orderId), 0)`,
  followOrders: `CASE WHEN ${r}.customerId IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM ${q("Order")} f INDEXED BY ${q("Order_shop_customerId_placedAt_idx")}
      WHERE f.shop = ${r}.shop AND f.customerId = ${r}.customerId AND f.test = 0 AND f.cancelledAt IS NULL
        AND f.placedAt > ${r}.createdAt AND f.placedAt <= ${r}.createdAt + ${FOLLOW_MS}) END`,
  followNetMinor: `CASE WHEN ${r}.customerId IS NULL THEN 0 ELSE COALESCE((SELECT SUM(f.totalMinor
        - COALESCE((SELECT SUM(x.shopAmountMinor) FROM ${q("Refund")} x WHERE x.shop = f.shop AND x.orderId = f.id), 0))
      FROM ${q("Order")} f INDEXED BY ${q("Order_shop_customerId_placedAt_idx")}
      WHERE f.shop = ${r}.shop AND f.customerId = ${r}.customerId AND f.test = 0 AND f.cancelledAt IS NULL
        AND f.placedAt > ${r}.createdAt AND f.placedAt <= ${r}.createdAt + ${FOLLOW_MS}), 0) END`,
  // A refund counts once its order is known, not a test and not cancelled (a cancellation is not a return).
  segRefund: `CASE WHEN ${r}.customerId IS NULL THEN
        CASE WHEN EXISTS (SELECT 1 FROM ${q("Refund")} x JOIN ${q("Order")} o ON o.shop = x.shop AND o.id = x.orderId
          WHERE x.shop = ${r}.shop AND x.orderId = ${r}.orderId AND o.test = 0 AND o.cancelledAt IS NULL) THEN 'refund' ELSE 'none' END
      WHEN EXISTS (SELECT 1 FROM ${q("Order")} o INDEXED BY ${q("Order_shop_customerId_placedAt_idx")}
        WHERE o.shop = ${r}.shop AND o.customerId = ${r}.customerId AND o.test = 0 AND o.cancelledAt IS NULL
          AND EXISTS (SELECT 1 FROM ${q("Refund")} x WHERE x.shop = o.shop AND x.orderId = o.id)) THEN 'refund'
      ELSE 'none' END`,
});

const DERIVED_COLUMNS = Object.keys(derived("r"));
const self = q("SurveyResponse");

/** UPDATE of the derived columns of the answers matching `where` (only rows whose values change). */
function refreshAnswers(where, columns = DERIVED_COLUMNS) {
  const d = derived(self);
  const set = columns.map((c) => `${c} = ${d[c]}`).join(",\n    ");
  const changed = columns.map((c) => `${self}.${c} IS NOT ${d[c]}`).join("\n    OR ");
  return `UPDATE ${self} SET
    ${set}
  WHERE ${where}
    AND (${changed});`;
}

const SCORE_COLUMNS = ["answers", "promoters", "passives", "detractors", "csatAnswers", "csatSatisfied", "cesAnswers", "cesSum", "cesSumOfSquares", "cesEasy"];

function scoreValues(r, sign) {
  const s = sign < 0 ? "-" : "";
  return [
    `${s}1`,
    `${s}COALESCE(${r}.nps >= 9, 0)`,
    `${s}COALESCE(${r}.nps BETWEEN 7 AND 8, 0)`,
    `${s}COALESCE(${r}.nps <= 6, 0)`,
    `${s}(${r}.csat IS NOT NULL)`,
    `${s}COALESCE(${r}.csat >= 4, 0)`,
    `${s}(${r}.ces IS NOT NULL)`,
    `${s}COALESCE(${r}.ces, 0)`,
    `${s}COALESCE(${r}.ces * ${r}.ces, 0)`,
    `${s}COALESCE(${r}.ces >= 5, 0)`,
  ];
}

/** CxDaily's dimensions and the segment key of answer row `r` in each. */
const dimensions = (r) => [
  ["all", "''"],
  ["tier", `${r}.segTier`],
  ["customerType", `${r}.segCustomerType`],
  ["orderValue", `${r}.segBand`],
  ["attribution", `COALESCE(${r}.attributionOption, '')`],
  ["refund", `${r}.segRefund`],
];

/** Adds (sign 1) or removes (sign -1) answer row `r` (NEW or OLD) in CxDaily under every dimension. */
function cxDaily(r, sign) {
  const dims = dimensions(r);
  const values = scoreValues(r, sign);
  const selects = dims.map(([dim, seg], i) => (i === 0 ? `SELECT '${dim}' AS dimension, ${seg} AS segment` : `SELECT '${dim}', ${seg}`)).join(" UNION ALL ");
  return `INSERT INTO ${q("CxDaily")} (shop, dimension, day, segment, ${SCORE_COLUMNS.join(", ")})
    SELECT ${r}.shop, d.dimension, ${r}.createdAt / ${DAY_MS}, d.segment, ${values.join(", ")}
    FROM (${selects}) AS d WHERE true
    ON CONFLICT (shop, dimension, day, segment) DO UPDATE SET
      ${SCORE_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")};`;
}

/** Adds or removes answer row `r` in CxWorthDaily (answers with an NPS score and a customer only). */
function worthDaily(r, sign) {
  const s = sign < 0 ? "-" : "";
  return `INSERT INTO ${q("CxWorthDaily")} (shop, day, category, answers, answeredMinor, repeaters, followNetMinor)
    SELECT ${r}.shop, ${r}.createdAt / ${DAY_MS},
      CASE WHEN ${r}.nps >= 9 THEN 'promoter' WHEN ${r}.nps >= 7 THEN 'passive' ELSE 'detractor' END,
      ${s}1, ${s}${r}.answeredMinor, ${s}(${r}.followOrders > 0), ${s}${r}.followNetMinor
    WHERE ${r}.nps IS NOT NULL AND ${r}.customerId IS NOT NULL
    ON CONFLICT (shop, day, category) DO UPDATE SET
      answers = answers + excluded.answers, answeredMinor = answeredMinor + excluded.answeredMinor,
      repeaters = repeaters + excluded.repeaters, followNetMinor = followNetMinor + excluded.followNetMinor;`;
}

const refundOf = (o) => `COALESCE((SELECT SUM(x.shopAmountMinor) FROM ${q("Refund")} x WHERE x.shop = ${o}.shop AND x.orderId = ${o}.id), 0)`;
const hasRefund = (o) => `EXISTS (SELECT 1 FROM ${q("Refund")} x WHERE x.shop = ${o}.shop AND x.orderId = ${o}.id)`;

const ORDER_DAILY_COLUMNS = ["orders", "grossMinor", "refundedMinor", "liveOrders", "liveNetMinor", "answeredOrders", "liveGrossMinor", "refundedOrders"];

/** Adds or removes order row `o` in OrderDaily (non-test orders only). */
function orderDaily(o, sign) {
  const s = sign < 0 ? "-" : "";
  return `INSERT INTO ${q("OrderDaily")} (shop, day, ${ORDER_DAILY_COLUMNS.join(", ")})
    SELECT ${o}.shop, ${o}.placedAt / ${DAY_MS}, ${s}1, ${s}${o}.totalMinor, ${s}${refundOf(o)},
      ${s}(${o}.cancelledAt IS NULL), ${s}(CASE WHEN ${o}.cancelledAt IS NULL THEN ${o}.totalMinor - ${refundOf(o)} ELSE 0 END),
      ${s}EXISTS (SELECT 1 FROM ${self} r WHERE r.shop = ${o}.shop AND r.orderId = ${o}.id),
      ${s}(CASE WHEN ${o}.cancelledAt IS NULL THEN ${o}.totalMinor ELSE 0 END),
      ${s}(${o}.cancelledAt IS NULL AND ${hasRefund(o)})
    WHERE ${o}.test = 0
    ON CONFLICT (shop, day) DO UPDATE SET
      ${ORDER_DAILY_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")};`;
}

const answersOfCustomer = (row, customer) => `${self}.shop = ${row}.shop AND ${self}.customerId = ${customer}`;

export function triggers() {
  const out = [];
  const trigger = (name, event, body, when = "") =>
    out.push(`CREATE TRIGGER ${q(name)} ${event}${when ? `\nWHEN ${when}` : ""}\nBEGIN\n  ${body.join("\n  ")}\nEND;`);

  // Answers: a new answer enters the rollups with default segments, then its derived columns are computed, which
  // moves it to its segments through the update trigger.
  trigger("SurveyResponse_rollup_insert", `AFTER INSERT ON ${self}`, [
    cxDaily("NEW", 1),
    worthDaily("NEW", 1),
    `UPDATE ${q("OrderDaily")} SET answeredOrders = answeredOrders + 1
    WHERE shop = NEW.shop AND day = (SELECT o.placedAt / ${DAY_MS} FROM ${q("Order")} o WHERE o.shop = NEW.shop AND o.id = NEW.orderId AND o.test = 0);`,
    refreshAnswers(`${self}.id = NEW.id`),
  ]);
  const counted = ["nps", "csat", "ces", "attributionOption", "createdAt", "customerId", ...DERIVED_COLUMNS];
  trigger(
    "SurveyResponse_rollup_update",
    `AFTER UPDATE OF ${counted.join(", ")} ON ${self}`,
    [cxDaily("OLD", -1), cxDaily("NEW", 1), worthDaily("OLD", -1), worthDaily("NEW", 1)],
    counted.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR "),
  );
  trigger(
    "SurveyResponse_relink",
    `AFTER UPDATE OF customerId, createdAt ON ${self}`,
    [refreshAnswers(`${self}.id = NEW.id`)],
    "OLD.customerId IS NOT NEW.customerId OR OLD.createdAt IS NOT NEW.createdAt",
  );
  trigger("SurveyResponse_rollup_delete", `AFTER DELETE ON ${self}`, [
    cxDaily("OLD", -1),
    worthDaily("OLD", -1),
    `UPDATE ${q("OrderDaily")} SET answeredOrders = answeredOrders - 1
    WHERE shop = OLD.shop AND day = (SELECT o.placedAt / ${DAY_MS} FROM ${q("Order")} o WHERE o.shop = OLD.shop AND o.id = OLD.orderId AND o.test = 0);`,
  ]);

  // Orders: their day's order figures, the answer given for them, and every answer of their customer (first order
  // or returning, and the 90 days that follow an answer).
  const orderAnswers = (o) => refreshAnswers(`${self}.shop = ${o}.shop AND ${self}.orderId = ${o}.id`);
  trigger("Order_rollup_insert", `AFTER INSERT ON ${q("Order")}`, [
    orderDaily("NEW", 1),
    orderAnswers("NEW"),
    refreshAnswers(answersOfCustomer("NEW", "NEW.customerId")),
  ]);
  const orderColumns = ["totalMinor", "placedAt", "test", "cancelledAt", "customerId"];
  trigger(
    "Order_rollup_update",
    `AFTER UPDATE OF ${orderColumns.join(", ")} ON ${q("Order")}`,
    [
      orderDaily("OLD", -1),
      orderDaily("NEW", 1),
      orderAnswers("NEW"),
      refreshAnswers(answersOfCustomer("NEW", "NEW.customerId")),
      refreshAnswers(`${answersOfCustomer("OLD", "OLD.customerId")} AND OLD.customerId IS NOT NEW.customerId`),
    ],
    orderColumns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR "),
  );
  trigger("Order_rollup_delete", `AFTER DELETE ON ${q("Order")}`, [
    orderDaily("OLD", -1),
    orderAnswers("OLD"),
    refreshAnswers(answersOfCustomer("OLD", "OLD.customerId")),
  ]);

  // Refunds: the refunded amount of their order's day and the 90-day net revenue after its customer's answers.
  // A refund that arrives before its order changes nothing here; the order brings it in when it arrives.
  // A refund also moves the answers of its customer, or the guest answer of its order, to the "refund" segment.
  const guestAnswersOf = (row, orderIds) => refreshAnswers(`${self}.shop = ${row}.shop AND ${self}.orderId IN (${orderIds}) AND ${self}.customerId IS NULL`, ["segRefund"]);
  for (const [event, row] of [
    ["INSERT", "NEW"],
    ["DELETE", "OLD"],
  ]) {
    trigger(`Refund_rollup_${event.toLowerCase()}`, `AFTER ${event} ON ${q("Refund")}`, [
      refundDelta(row, event === "INSERT" ? 1 : -1),
      refreshAnswers(`${self}.shop = ${row}.shop AND ${self}.customerId = (SELECT o.customerId FROM ${q("Order")} o WHERE o.shop = ${row}.shop AND o.id = ${row}.orderId)`),
      guestAnswersOf(row, `${row}.orderId`),
    ]);
  }
  trigger(
    "Refund_rollup_update",
    `AFTER UPDATE OF shopAmountMinor, orderId ON ${q("Refund")}`,
    [
      refundDelta("OLD", -1),
      refundDelta("NEW", 1),
      refreshAnswers(`${self}.shop = NEW.shop AND ${self}.customerId IN (SELECT o.customerId FROM ${q("Order")} o WHERE o.shop = NEW.shop AND o.id IN (OLD.orderId, NEW.orderId))`),
      guestAnswersOf("NEW", "OLD.orderId, NEW.orderId"),
    ],
    "OLD.shopAmountMinor IS NOT NEW.shopAmountMinor OR OLD.orderId IS NOT NEW.orderId",
  );

  // Customers: the tier segment of their answers.
  trigger("Customer_rollup_insert", `AFTER INSERT ON ${q("Customer")}`, [refreshAnswers(answersOfCustomer("NEW", "NEW.id"), ["segTier"])]);
  trigger(
    "Customer_rollup_tier",
    `AFTER UPDATE OF tierSlug ON ${q("Customer")}`,
    [refreshAnswers(answersOfCustomer("NEW", "NEW.id"), ["segTier"])],
    "OLD.tierSlug IS NOT NEW.tierSlug",
  );
  return out.join("\n\n");
}

/**
 * A refund's amount added to (or taken from) the refunded and net figures of its order's day, and its order counted
 * in (or out of) the refunded orders when it is the order's only refund.
 */
function refundDelta(x, sign) {
  const s = sign < 0 ? "-" : "";
  const live = `(SELECT o.cancelledAt IS NULL FROM ${q("Order")} o WHERE o.shop = ${x}.shop AND o.id = ${x}.orderId)`;
  const onlyRefund = `NOT EXISTS (SELECT 1 FROM ${q("Refund")} y WHERE y.shop = ${x}.shop AND y.orderId = ${x}.orderId AND y.id <> ${x}.id)`;
  return `UPDATE ${q("OrderDaily")} SET
      refundedMinor = refundedMinor + ${s}COALESCE(${x}.shopAmountMinor, 0),
      liveNetMinor = liveNetMinor - ${s}(CASE WHEN ${live} THEN COALESCE(${x}.shopAmountMinor, 0) ELSE 0 END),
      refundedOrders = refundedOrders + ${s}(CASE WHEN ${live} AND ${onlyRefund} THEN 1 ELSE 0 END)
    WHERE shop = ${x}.shop AND day = (SELECT o.placedAt / ${DAY_MS} FROM ${q("Order")} o WHERE o.shop = ${x}.shop AND o.id = ${x}.orderId AND o.test = 0);`;
}

/** Fills the derived columns and the rollups from rows that existed before the triggers. */
export function backfill() {
  const d = derived(self);
  return [
    `UPDATE ${self} SET ${DERIVED_COLUMNS.map((c) => `${c} = ${d[c]}`).join(",\n  ")};`,
    `INSERT INTO ${q("OrderDaily")} (shop, day, ${ORDER_DAILY_COLUMNS.join(", ")})
SELECT o.shop, o.placedAt / ${DAY_MS}, COUNT(*), SUM(o.totalMinor), SUM(${refundOf("o")}), SUM(o.cancelledAt IS NULL),
  SUM(CASE WHEN o.cancelledAt IS NULL THEN o.totalMinor - ${refundOf("o")} ELSE 0 END),
  SUM(EXISTS (SELECT 1 FROM ${self} r WHERE r.shop = o.shop AND r.orderId = o.id)),
  SUM(CASE WHEN o.cancelledAt IS NULL THEN o.totalMinor ELSE 0 END),
  SUM(o.cancelledAt IS NULL AND ${hasRefund("o")})
FROM ${q("Order")} o WHERE o.test = 0 GROUP BY o.shop, o.placedAt / ${DAY_MS};`,
    ...dimensions("r").map(
      ([dim, seg]) => `INSERT INTO ${q("CxDaily")} (shop, dimension, day, segment, ${SCORE_COLUMNS.join(", ")})
SELECT r.shop, '${dim}', r.createdAt / ${DAY_MS}, ${seg}, ${scoreValues("r", 1)
        .map((v, i) => (i === 0 ? "COUNT(*)" : `SUM(${v})`))
        .join(", ")}
FROM ${self} r GROUP BY 1, 2, 3, 4;`,
    ),
    `INSERT INTO ${q("CxWorthDaily")} (shop, day, category, answers, answeredMinor, repeaters, followNetMinor)
SELECT r.shop, r.createdAt / ${DAY_MS}, CASE WHEN r.nps >= 9 THEN 'promoter' WHEN r.nps >= 7 THEN 'passive' ELSE 'detractor' END,
  COUNT(*), SUM(r.answeredMinor), SUM(r.followOrders > 0), SUM(r.followNetMinor)
FROM ${self} r WHERE r.nps IS NOT NULL AND r.customerId IS NOT NULL GROUP BY 1, 2, 3;`,
  ].join("\n\n");
}

export const TRIGGER_NAMES = [...triggers().matchAll(/^CREATE TRIGGER "([^"]+)"/gm)].map((m) => m[1]);
const ROLLUP_TABLES = ["CxDaily", "CxWorthDaily", "OrderDaily"];

/**
 * After a definition changed (docs/decisions/011-cx-daily-rollups.md): drops the triggers, empties the rollups,
 * recomputes the derived columns and rollups set-wise from the source rows, and creates the new triggers.
 */
export function rebuild() {
  return [
    TRIGGER_NAMES.map((name) => `DROP TRIGGER IF EXISTS ${q(name)};`).join("\n"),
    ROLLUP_TABLES.map((table) => `DELETE FROM ${q(table)};`).join("\n"),
    backfill(),
    triggers(),
  ].join("\n\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--rebuild")) {
    process.stdout.write(`-- Generated by prisma/sql/cx-rollups.mjs --rebuild: drop the triggers, recompute the rollups, recreate the triggers.\n\n${rebuild()}\n`);
  } else {
    process.stdout.write(`-- Generated by prisma/sql/cx-rollups.mjs: backfill, then triggers.\n\n${backfill()}\n\n${triggers()}\n`);
  }
}
