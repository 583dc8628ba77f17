/**
 * Start-up work that must happen once per Node process, however often the module asking for it is evaluated:
 * Vite's development server (`shopify app dev`) evaluates app modules again after every edit, and a second outbox
 * worker or sweep timer in the same process would double the background work. The first call's result is kept on
 * `globalThis`, which survives those re-evaluations.
 */
declare global {
  var __afterglowOnce: Map<string, unknown> | undefined;
}

export function oncePerProcess<T>(key: string, start: () => T): T {
  const started = (globalThis.__afterglowOnce ??= new Map<string, unknown>());
  if (!started.has(key)) started.set(key, start());
  return started.get(key) as T;
}
