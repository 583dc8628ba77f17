// Fault tests talk to real server processes over loopback only: any other network access fails the test.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.hostname !== "127.0.0.1") throw new Error(`Only loopback is allowed in the fault suite: ${url.href}`);
  return realFetch(input, init);
};
