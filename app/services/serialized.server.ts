/**
 * Per-key serialisation inside this process: `serialized(key, work)` starts `work` only after every earlier `work`
 * for the same key has settled. The survey metafield is written whole by two features (the survey, and the return
 * policy's summary in it), each reading the other's published half first; run at the same moment, the write that
 * landed last could carry the other's old half. Both compose and write it under `surveyMetafieldKey(shop)`.
 */
const tails = new Map<string, Promise<unknown>>();

export function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
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
