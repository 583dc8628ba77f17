// Request bodies for the load runs: REST orders/create payloads and survey answer sets, each one unique.
const NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];

let nextOrderId = 9_000_000_000;

/** A REST `orders/create` payload for one of `customers` repeat customers (one in ten is a guest). */
export function orderPayload(sequence, customers = 500) {
  const id = nextOrderId++;
  const at = new Date().toISOString();
  const cents = 1500 + ((sequence * 7919) % 30000);
  const price = (cents / 100).toFixed(2);
  const customerId = 7_000_000 + (sequence % customers);
  const name = NAMES[sequence % NAMES.length];
  return JSON.stringify({
    id,
    name: `#B${id}`,
    created_at: at,
    updated_at: at,
    processed_at: at,
    currency: "USD",
    presentment_currency: "USD",
    total_price: price,
    total_price_set: { shop_money: { amount: price, currency_code: "USD" }, presentment_money: { amount: price, currency_code: "USD" } },
    financial_status: "paid",
    test: false,
    customer: sequence % 10 === 9 ? null : { id: customerId, first_name: name, last_name: "Bench", email: `${name.toLowerCase()}.${customerId}@example.com` },
    line_items: [{ id: id * 10, product_id: 77, title: "Tee", quantity: 1, price }],
  });
}

const FIRST_ANSWER_ORDER = 8_000_000_000;
/** Orders whose steps interleave: a block of SURVEY_BLOCK × 3 requests answers SURVEY_BLOCK orders, each step 1 s apart at 100/s. */
const SURVEY_BLOCK = 100;
export const SURVEY_STEPS = 3;

/**
 * The `sequence`-th request of shoppers answering the survey step by step, as the extension saves it (decision 041):
 * each order's answers arrive in three requests, each carrying every answer so far and the questions shown, the last
 * completing the set; an order's steps are SURVEY_BLOCK requests apart (a shopper taking a second per question), so
 * most requests merge into an answer set an earlier one started. Returns the body and the order's index.
 */
export function surveyStepPayload(sequence) {
  const block = Math.floor(sequence / (SURVEY_BLOCK * SURVEY_STEPS));
  const order = block * SURVEY_BLOCK + (sequence % SURVEY_BLOCK);
  const step = Math.floor(sequence / SURVEY_BLOCK) % SURVEY_STEPS;
  const all = { nps: order % 11, csat: 1 + (order % 5), ces: 1 + (order % 7), ...(order % 4 === 0 ? { comment: "Quick delivery, thanks" } : {}) };
  const keys = ["nps", "csat", "ces", ...(all.comment ? ["comment"] : [])];
  const given = step === 0 ? ["nps"] : step === 1 ? ["nps", "csat"] : keys;
  const answers = Object.fromEntries(given.map((k) => [k, all[k]]));
  const last = step === SURVEY_STEPS - 1;
  const body = {
    orderId: `gid://shopify/OrderIdentity/${FIRST_ANSWER_ORDER + order}`,
    locale: "en",
    answers,
    ...(last ? {} : { complete: false }),
    reached: last ? keys : keys.slice(0, given.length + 1),
  };
  return { body: JSON.stringify(body), order };
}
