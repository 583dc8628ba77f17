import { databaseReachable } from "~/models/health.server";

/** Liveness and database reachability for load balancers. No auth, no shop data. */
export async function loader() {
  const started = performance.now();
  const headers = { "Cache-Control": "no-store" };
  if (!(await databaseReachable())) {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
  return Response.json({ status: "ok", database: "reachable", ms: Math.round(performance.now() - started) }, { headers });
}
