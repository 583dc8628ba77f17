// Shopify, as far as the historical import needs it, on loopback: the Admin GraphQL calls the import and the outbox
// make (reached through the production build's Admin API seam, AFTERGLOW_TEST_ADMIN_API_ORIGIN: docs/architecture.md,
// "Test seams") and the export's file, generated as it is sent (./import-orders.mjs): nothing is written to disk and
// the file is read with backpressure, as the app reads Shopify's storage. The imported orders move customers between
// tiers, so the outbox mirrors them meanwhile, by bulk mutation for many customers: staged uploads are taken (their
// lines counted, not kept) and every bulk mutation completes at once with every line accepted (the mirror's pace is
// the programme-change measure's subject, not this one's).
import http from "node:http";
import { Readable } from "node:stream";
import { importFileChunks } from "./import-orders.mjs";

/** An Admin API GraphQL request's path on the stand-ins: /<shop>/admin/api/<version>/graphql.json. */
export const GRAPHQL = /^\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;
const OPERATION_ID = "gid://shopify/BulkOperation/4100000000001";
/** Every answer reports a full standard-plan bucket: neither the import nor the redemption measure is about throttling. */
export const EXTENSIONS = { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } };

const answers = (origin, orders, mutations) => ({
  AfterglowBulkOrders: () => ({ bulkOperationRunQuery: { bulkOperation: { id: OPERATION_ID, status: "CREATED" }, userErrors: [] } }),
  AfterglowBulkOperationStatus: () => ({
    node: { id: OPERATION_ID, status: "COMPLETED", errorCode: null, objectCount: String(orders * 3), rootObjectCount: String(orders), url: `${origin}/export/orders.jsonl` },
  }),
  AfterglowProducts: () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }),
  AfterglowTagsAdd: () => ({ tagsAdd: { userErrors: [] } }),
  AfterglowTagsRemove: () => ({ tagsRemove: { userErrors: [] } }),
  AfterglowMetafieldsSet: () => ({ metafieldsSet: { metafields: [], userErrors: [] } }),
  AfterglowStagedUpload: () => {
    const key = `tmp/bench/bulk/${mutations.staged.size + 1}/variables.jsonl`;
    mutations.staged.set(key, 0);
    return { stagedUploadsCreate: { stagedTargets: [{ url: `${origin}/staged`, resourceUrl: null, parameters: [{ name: "key", value: key }] }], userErrors: [] } };
  },
  AfterglowBulkMutationRun: (variables) => {
    const field = /\b(tagsAdd|tagsRemove|metafieldsSet)\s*\(/.exec(String(variables.mutation))?.[1];
    const lines = mutations.staged.get(String(variables.stagedUploadPath));
    if (!field || lines === undefined) return { bulkOperationRunMutation: { bulkOperation: null, userErrors: [{ field: null, message: "unknown upload or mutation" }] } };
    const id = `gid://shopify/BulkOperation/${4200000000000 + mutations.runs.size}`;
    mutations.runs.set(id, { field, lines });
    return { bulkOperationRunMutation: { bulkOperation: { id, status: "CREATED" }, userErrors: [] } };
  },
  AfterglowBulkMutationStatus: (variables) => {
    const run = mutations.runs.get(String(variables.id));
    return { node: run ? { id: variables.id, status: "COMPLETED", errorCode: null, objectCount: String(run.lines), url: `${origin}/results/${encodeURIComponent(variables.id)}`, partialDataUrl: null } : null };
  },
});

/** A completed bulk mutation's result file: every line accepted. */
function* resultLines({ field, lines }) {
  const payload = JSON.stringify({ data: { [field]: field === "metafieldsSet" ? { metafields: [], userErrors: [] } : { userErrors: [] } } }).slice(0, -1);
  for (let i = 0; i < lines; i++) yield `${payload},"__lineNumber":${i}}\n`;
}

/** Starts the stand-in for an export of `orders` orders; `calls` counts the GraphQL operations and file reads. */
export async function startImportShopify({ port, orders }) {
  const origin = `http://127.0.0.1:${port}`;
  const mutations = { staged: new Map(), runs: new Map() };
  const canned = answers(origin, orders, mutations);
  const calls = new Map();
  const count = (name) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const server = http.createServer(async (req, res) => {
    if (req.method === "GET" && req.url === "/export/orders.jsonl") {
      count("file download");
      res.writeHead(200, { "content-type": "application/jsonl" });
      Readable.from(importFileChunks(orders)).pipe(res);
      return;
    }
    if (req.method === "GET" && req.url?.startsWith("/results/")) {
      const run = mutations.runs.get(decodeURIComponent(req.url.slice("/results/".length)));
      if (!run) return void res.writeHead(404).end();
      count("bulk result download");
      res.writeHead(200, { "content-type": "application/jsonl" });
      Readable.from(resultLines(run)).pipe(res);
      return;
    }
    if (req.method === "POST" && req.url === "/staged") {
      const form = await new Request(`${origin}/staged`, { method: "POST", headers: req.headers, body: Readable.toWeb(req), duplex: "half" }).formData();
      const key = String(form.get("key"));
      const file = form.get("file");
      if (!mutations.staged.has(key) || !(file instanceof Blob)) return void res.writeHead(400).end();
      count("staged upload");
      mutations.staged.set(key, (await file.text()).split("\n").filter((line) => line.trim()).length);
      return void res.writeHead(201).end();
    }
    let body = "";
    for await (const chunk of req) body += chunk;
    const { query = "", variables = {} } = JSON.parse(body || "{}");
    const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1] ?? "anonymous";
    count(operation);
    const answer = GRAPHQL.test(req.url ?? "") ? canned[operation] : undefined;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer ? { data: answer(variables), extensions: EXTENSIONS } : { errors: [{ message: `no answer for ${operation}` }], extensions: EXTENSIONS }));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    origin,
    calls: () => Object.fromEntries(calls),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
