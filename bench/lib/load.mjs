// Load runs from two generators on the npm registry, each for what it measures honestly:
// - `loadtest` (fixed rate): an open-loop, evenly paced arrival of requests (one every 1000/rate ms, whatever the
//   server is doing), latency timed per request from when it was sent. That is how webhooks arrive from Shopify.
// - `autocannon` (throughput): a fixed number of requests in flight, each connection sending the next as soon as
//   the previous one is answered.
// autocannon's own rate limiting is not used for latency: it sends each connection's quota in a burst at the start
// of every second, and its coordinated-omission correction assumes a 1 ms interval, both of which inflate p99
// far beyond what the server does (see docs/decisions/016-bench-paced-load.md).
// Every request is built fresh by `makeRequest()` (unique ids, its own signature) just before it is sent.
import autocannon from "autocannon";
import { loadTest } from "loadtest";

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** `path` at `rate` requests/s, evenly paced, for `seconds`. */
export async function fixedRate({ url, path, rate, seconds, makeRequest }) {
  const latencies = [];
  let ok = 0;
  const started = Date.now();
  await loadTest({
    url: url + path,
    method: "POST",
    requestsPerSecond: rate,
    maxRequests: Math.round(rate * seconds),
    maxSeconds: seconds + 30,
    timeout: 10_000,
    agentKeepAlive: true,
    quiet: true,
    requestGenerator: (options, params, request, callback) => {
      const { body, headers } = makeRequest();
      // Timed here, from just before the request is written to the end of its response, in fractions of a ms
      // (loadtest's own figure is rounded to whole milliseconds).
      const sent = performance.now();
      const req = request({ ...params, headers: { ...params.headers, ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
        res.once("end", () => {
          if (res.statusCode >= 200 && res.statusCode < 300) {
            ok += 1;
            latencies.push(performance.now() - sent);
          }
        });
        callback(res);
      });
      req.write(body);
      return req;
    },
  });
  const elapsed = (Date.now() - started) / 1000;
  const errors = Math.round(rate * seconds) - ok;
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] : null);
  return { requests: ok + errors, ok, errors, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? null, okPerSecond: ok / elapsed };
}

function summary(result) {
  const ok = result["2xx"];
  const seconds = result.duration;
  return {
    requests: result.requests.sent,
    ok,
    errors: result.errors + result.timeouts + result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    okPerSecond: ok / seconds,
  };
}

/** `path` as fast as the server answers, `connections` requests in flight, for `seconds`. */
export async function maxRate({ url, path, seconds, makeRequest, connections = 16 }) {
  const result = await run({
    url: url + path,
    connections,
    duration: seconds,
    requests: [{ method: "POST", setupRequest: (req) => ({ ...req, ...makeRequest() }) }],
  });
  return summary(result);
}
