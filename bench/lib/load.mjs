// Load runs with autocannon: a fixed request rate for latency, or as fast as the server answers for throughput.
// Every request is built fresh by `makeRequest()` (unique ids, its own signature) just before it is sent.
import autocannon from "autocannon";

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
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

/** `path` at `rate` requests/s for `seconds`. */
export async function fixedRate({ url, path, rate, seconds, makeRequest, connections = 32 }) {
  const result = await run({
    url: url + path,
    connections,
    overallRate: rate,
    duration: seconds,
    requests: [{ method: "POST", setupRequest: (req) => ({ ...req, ...makeRequest() }) }],
  });
  return summary(result);
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
