// The dashboard measure: seed a shop with `size` answers, time the real loader over HTTP, and time the same
// figures as hand-written SQL on the same database (the floor).
import { floorFigures, sourceFigures } from "./floor-sql.mjs";
import { adminSessionToken, BROWSER } from "./tokens.mjs";

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeLoader(server, shop, range, auth) {
  const url = `${server.url}/app.data?range=${range}&_routes=${encodeURIComponent("routes/app._index")}`;
  const once = async () => {
    const request = () => fetch(url, { headers: { authorization: `Bearer ${adminSessionToken(auth)}`, "user-agent": BROWSER } });
    // The floor's long source-row queries run meanwhile; the server may close the idle keep-alive socket, and the
    // first request after that fails before reaching it. Warm a fresh connection first.
    await request().then((r) => r.arrayBuffer()).catch(() => undefined);
    const started = performance.now();
    const res = await request();
    const body = await res.text();
    const elapsed = performance.now() - started;
    if (res.status !== 200) throw new Error(`dashboard loader answered ${res.status} for ${shop}: ${body.slice(0, 300)}`);
    return { elapsed, body };
  };
  for (let i = 0; i < 2; i++) await once();
  const runs = [];
  let body = "";
  for (let i = 0; i < 7; i++) {
    const r = await once();
    runs.push(r.elapsed);
    body = r.body;
  }
  return { ms: median(runs), body };
}

async function timeSql(fn, repeat = 7) {
  const runs = [];
  let result;
  for (let i = 0; i < repeat; i++) {
    const started = performance.now();
    result = await fn();
    runs.push(performance.now() - started);
  }
  return { ms: median(runs), result };
}

export const dashboardShop = (size) => `bench-dashboard-${size}.myshopify.com`;

export async function measureDashboard({ db, server, size, apiKey, secret, log }) {
  const shop = dashboardShop(size);
  const rows = [];
  for (const range of ["30d", "12m"]) {
    const loader = await timeLoader(server, shop, range, { apiKey, secret, shop });
    // A warm-up run first: the floor's statements are prepared on its connection, as the loader's are on the server's.
    await floorFigures(db, shop, range);
    const floor = await timeSql(() => floorFigures(db, shop, range));
    // Computing from the source rows takes seconds at 100k and far longer at 1M: shown up to 100k only.
    const source = size <= 100_000 ? await timeSql(() => sourceFigures(db, shop, range), 1) : { ms: null };
    // The loader and the floor must agree: the answer count the floor found is in the loader's data.
    const answers = floor.result.answers;
    if (!loader.body.includes(String(answers))) throw new Error(`loader data for ${shop} ${range} does not contain the floor's answer count ${answers}`);
    rows.push({ size, range, loaderMs: loader.ms, floorMs: floor.ms, sourceMs: source.ms });
    log(`${range}: loader ${loader.ms.toFixed(1)} ms, floor ${floor.ms.toFixed(1)} ms, source ${source.ms === null ? "–" : source.ms.toFixed(0)} ms`);
  }
  return rows;
}
