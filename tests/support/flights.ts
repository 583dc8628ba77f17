import type pg from "pg";
import { vi } from "vitest";
import * as db from "~/db.server";

/**
 * Records a connection's statements by flight: a flight starts when a statement is sent while none is waiting for
 * its answer, so each flight is one round trip to the server. Recording stops when the connection goes back to the
 * pool (`release`), or at `stop`.
 */
function flightsOf(connection: pg.PoolClient): { flights: string[][]; stop: () => void } {
  const flights: string[][] = [];
  let waiting = 0;
  const patched = connection as unknown as { query: (config: unknown, ...rest: unknown[]) => Promise<unknown>; release: (error?: unknown) => void };
  const ownQuery = Object.getOwnPropertyDescriptor(patched, "query");
  const ownRelease = Object.getOwnPropertyDescriptor(patched, "release");
  const send = patched.query.bind(connection);
  const release = patched.release.bind(connection);
  let stopped = false;
  // The connection goes back to the pool as it was (its writes coalesced: `coalesceWrites`).
  const restore = (name: "query" | "release", own: PropertyDescriptor | undefined) =>
    own ? Object.defineProperty(patched, name, own) : delete (patched as { query?: unknown; release?: unknown })[name];
  const stop = () => {
    if (stopped) return;
    stopped = true;
    restore("query", ownQuery);
    restore("release", ownRelease);
  };
  patched.query = (config: unknown, ...rest: unknown[]) => {
    const text = typeof config === "string" ? config : (config as { text: string }).text;
    if (waiting === 0) flights.push([]);
    flights.at(-1)!.push(text.trim().split(/\s+/).slice(0, 2).join(" "));
    waiting += 1;
    const sent = send(config, ...rest);
    sent.then(
      () => (waiting -= 1),
      () => (waiting -= 1),
    );
    return sent;
  };
  patched.release = (error?: unknown) => {
    stop();
    release(error);
  };
  return { flights, stop };
}

/**
 * Records the flights of every raw connection taken from the pool while `run` runs (`connectRaw`: the group commit and
 * `inSqlTransaction`), one list per connection, in the order they were taken.
 */
export async function flightsDuring<T>(run: () => Promise<T>): Promise<{ result: T; flights: string[][][] }> {
  const recorded: ReturnType<typeof flightsOf>[] = [];
  const connect = db.connectRaw;
  const spy = vi.spyOn(db, "connectRaw").mockImplementation(async () => {
    const connection = await connect();
    recorded.push(flightsOf(connection));
    return connection;
  });
  try {
    const result = await run();
    return { result, flights: recorded.map((r) => r.flights) };
  } finally {
    spy.mockRestore();
    for (const { stop } of recorded) stop();
  }
}
