import { withSessionLock } from "~/models/transaction.server";

/**
 * Per-key serialisation across every app instance: `serialized(key, work)` starts `work` only after every earlier
 * `work` for the same key, in this process or another one on the same database, has settled. The survey metafield is
 * written whole by two features (the survey, and the return policy's summary in it), each reading the other's
 * published half first; run at the same moment, the write that landed last could carry the other's old half. Both
 * compose and write it under `surveyMetafieldKey(shop)`.
 *
 * Within a process, work for one key is chained (one waiter per key holds a connection). Across processes, the chain's
 * head holds a PostgreSQL session-level advisory lock on the key, on a connection of its own, while `work` runs (an
 * Admin API call, so never inside a transaction); a process that dies releases it with its connection.
 */
const tails = new Map<string, Promise<unknown>>();

export function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const locked = () => withSessionLock(`serialized ${key}`, work);
  const run = previous.then(locked, locked);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

export const surveyMetafieldKey = (shop: string) => `survey-metafield:${shop}`;
