declare global {
  var __afterglowAllowConsoleError: boolean | undefined;
}

/** For a test that provokes an error log on purpose (e.g. a 500 path): its console.error does not fail it. */
export function allowConsoleError() {
  globalThis.__afterglowAllowConsoleError = true;
}
