// The dashboard's figures as hand-written SQL, run directly on the database with better-sqlite3: the floor the
// loader is compared with. `floorFigures` reads the same tables the loader reads (the daily rollups, the comment
// index, the order index); `sourceFigures` computes the same figures from the answer and order rows alone, which
// is what the dashboard would cost without the rollups.
const DAY = 86_400_000;

function rangeOf(range, now = Date.now()) {
  const toDay = Math.floor(now / DAY) + 1;
  const days = range === "12m" ? 365 : range === "90d" ? 90 : range === "7d" ? 7 : 30;
  return { fromDay: toDay - days, toDay, prevFromDay: toDay - 2 * days };
}

const SUMS = `SUM(answers) AS answers, SUM(promoters) AS promoters, SUM(passives) AS passives, SUM(detractors) AS detractors,
  SUM(csatAnswers) AS csatAnswers, SUM(csatSatisfied) AS csatSatisfied, SUM(cesAnswers) AS cesAnswers, SUM(cesSum) AS cesSum,
  SUM(cesSumOfSquares) AS cesSumOfSquares, SUM(cesEasy) AS cesEasy`;

const cache = new WeakMap();
function statements(db) {
  if (cache.has(db)) return cache.get(db);
  const s = {
    counts: db.prepare(`SELECT ${SUMS} FROM "CxDaily" WHERE shop = ? AND dimension = 'all' AND day >= ? AND day < ?`),
    orders: db.prepare(`SELECT SUM(orders) AS orders, SUM(answeredOrders) AS answered, SUM(grossMinor) AS gross, SUM(refundedMinor) AS refunded FROM "OrderDaily" WHERE shop = ? AND day >= ? AND day < ?`),
    weekly: db.prepare(`SELECT (day - ?) / 7 AS bucket, ${SUMS} FROM "CxDaily" WHERE shop = ? AND dimension = 'all' AND day >= ? AND day < ? GROUP BY 1`),
    monthly: db.prepare(`SELECT strftime('%Y-%m', day * 86400, 'unixepoch') AS bucket, ${SUMS} FROM "CxDaily" WHERE shop = ? AND dimension = 'all' AND day >= ? AND day < ? GROUP BY 1`),
    segments: db.prepare(`SELECT segment, ${SUMS} FROM "CxDaily" WHERE shop = ? AND dimension = ? AND day >= ? AND day < ? GROUP BY segment`),
    worth: db.prepare(`SELECT category, SUM(answers), SUM(answeredMinor), SUM(repeaters), SUM(followNetMinor) FROM "CxWorthDaily" WHERE shop = ? AND day >= ? AND day < ? GROUP BY category`),
    comments: db.prepare(`SELECT id, orderId, customerId, comment, nps, csat, ces, locale, createdAt FROM "SurveyResponse" WHERE shop = ? AND createdAt >= ? AND createdAt < ? AND comment IS NOT NULL ORDER BY createdAt DESC, id DESC LIMIT 10`),
    customers: db.prepare(`SELECT COUNT(*) FROM "Customer" WHERE shop = ? AND lastOrderAt >= ?`),
    revenue: db.prepare(`SELECT strftime('%Y-%m', day * 86400, 'unixepoch'), SUM(liveOrders), SUM(liveNetMinor) FROM "OrderDaily" WHERE shop = ? AND day >= ? GROUP BY 1`),
  };
  cache.set(db, s);
  return s;
}

export function floorFigures(db, shop, range) {
  const s = statements(db);
  const { fromDay, toDay, prevFromDay } = rangeOf(range);
  const current = s.counts.get(shop, fromDay, toDay);
  s.counts.get(shop, prevFromDay, fromDay);
  s.orders.get(shop, fromDay, toDay);
  s.orders.get(shop, prevFromDay, fromDay);
  if (range === "12m") s.monthly.all(shop, fromDay, toDay);
  else s.weekly.all(fromDay, shop, fromDay, toDay);
  for (const dimension of ["tier", "customerType", "orderValue", "attribution", "refund"]) s.segments.all(shop, dimension, fromDay, toDay);
  const worthTo = Math.floor((Date.now() - 90 * DAY) / DAY);
  s.worth.all(shop, worthTo - 365, worthTo);
  s.comments.all(shop, fromDay * DAY, toDay * DAY);
  // The orders section: 30 days against the 30 before, distinct ordering customers, six months of revenue.
  const today = Math.floor(Date.now() / DAY) + 1;
  s.orders.get(shop, today - 30, today);
  s.orders.get(shop, today - 60, today - 30);
  s.customers.get(shop, (today - 30) * DAY);
  s.revenue.all(shop, today - 190);
  return { answers: current.answers ?? 0 };
}

const RAW_COUNTS = `COUNT(*) AS answers, SUM(r.nps >= 9), SUM(r.nps BETWEEN 7 AND 8), SUM(r.nps <= 6), COUNT(r.csat), SUM(r.csat >= 4),
  COUNT(r.ces), SUM(r.ces), SUM(r.ces * r.ces), SUM(r.ces >= 5)`;

/** The same figures from the source rows only (joins and correlated subqueries, the best indexes available). */
export function sourceFigures(db, shop, range) {
  const { fromDay, toDay, prevFromDay } = rangeOf(range);
  const [from, to, prev] = [fromDay * DAY, toDay * DAY, prevFromDay * DAY];
  const counts = (a, b) => db.prepare(`SELECT ${RAW_COUNTS} FROM "SurveyResponse" r WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ?`).get(shop, a, b);
  const current = counts(from, to);
  counts(prev, from);
  const orders = (a, b) =>
    db.prepare(`SELECT COUNT(*), COUNT(r.id) FROM "Order" o LEFT JOIN "SurveyResponse" r ON r.shop = o.shop AND r.orderId = o.id WHERE o.shop = ? AND o.placedAt >= ? AND o.placedAt < ? AND o.test = 0`).get(shop, a, b);
  orders(from, to);
  orders(prev, from);
  db.prepare(`SELECT strftime('%Y-%m', r.createdAt / 1000, 'unixepoch'), ${RAW_COUNTS} FROM "SurveyResponse" r WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  db.prepare(`SELECT CASE WHEN r.customerId IS NULL THEN 'guest' ELSE COALESCE(c.tierSlug, '') END, ${RAW_COUNTS} FROM "SurveyResponse" r LEFT JOIN "Customer" c ON c.shop = r.shop AND c.id = r.customerId WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  db.prepare(`SELECT CASE WHEN r.customerId IS NULL OR o.id IS NULL THEN 'guest' WHEN EXISTS (SELECT 1 FROM "Order" p WHERE p.shop = r.shop AND p.customerId = r.customerId AND p.placedAt < o.placedAt AND p.test = 0) THEN 'returning' ELSE 'new' END, ${RAW_COUNTS} FROM "SurveyResponse" r LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  db.prepare(`SELECT CASE WHEN o.id IS NULL THEN 'unknown' WHEN o.totalMinor < 5000 THEN '0' WHEN o.totalMinor < 10000 THEN '1' WHEN o.totalMinor < 25000 THEN '2' ELSE '3' END, ${RAW_COUNTS} FROM "SurveyResponse" r LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  db.prepare(`SELECT COALESCE(r.attributionOption, ''), ${RAW_COUNTS} FROM "SurveyResponse" r WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  db.prepare(`SELECT CASE WHEN r.customerId IS NULL
        THEN EXISTS (SELECT 1 FROM "Refund" x JOIN "Order" o ON o.shop = x.shop AND o.id = x.orderId WHERE x.shop = r.shop AND x.orderId = r.orderId AND o.test = 0 AND o.cancelledAt IS NULL)
        ELSE EXISTS (SELECT 1 FROM "Order" o WHERE o.shop = r.shop AND o.customerId = r.customerId AND o.test = 0 AND o.cancelledAt IS NULL
          AND EXISTS (SELECT 1 FROM "Refund" x WHERE x.shop = o.shop AND x.orderId = o.id)) END, ${RAW_COUNTS}
    FROM "SurveyResponse" r WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? GROUP BY 1`).all(shop, from, to);
  const worthTo = Math.floor((Date.now() - 90 * DAY) / DAY) * DAY;
  db.prepare(`SELECT CASE WHEN r.nps >= 9 THEN 'promoter' WHEN r.nps >= 7 THEN 'passive' ELSE 'detractor' END, COUNT(*), SUM(COALESCE(o.totalMinor, 0)),
      SUM(EXISTS (SELECT 1 FROM "Order" f WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${90 * DAY})),
      SUM((SELECT COALESCE(SUM(f.totalMinor), 0) FROM "Order" f WHERE f.shop = r.shop AND f.customerId = r.customerId AND f.test = 0 AND f.cancelledAt IS NULL AND f.placedAt > r.createdAt AND f.placedAt <= r.createdAt + ${90 * DAY}))
    FROM "SurveyResponse" r LEFT JOIN "Order" o ON o.shop = r.shop AND o.id = r.orderId
    WHERE r.shop = ? AND r.createdAt >= ? AND r.createdAt < ? AND r.nps IS NOT NULL AND r.customerId IS NOT NULL GROUP BY 1`).all(shop, worthTo - 365 * DAY, worthTo);
  return { answers: current.answers };
}
