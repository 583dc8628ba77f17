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

let nextAnswerOrder = 8_000_000_000;

/** A complete survey answer set for a fresh order (one answer per order). */
export function surveyPayload(sequence) {
  return JSON.stringify({
    orderId: `gid://shopify/OrderIdentity/${nextAnswerOrder++}`,
    locale: "en",
    answers: { nps: sequence % 11, csat: 1 + (sequence % 5), ces: 1 + (sequence % 7), comment: sequence % 4 === 0 ? "Quick delivery, thanks" : undefined },
  });
}
