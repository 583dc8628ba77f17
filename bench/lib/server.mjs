// The production server (`node server.mjs` over build/) on loopback, with the benchmark's temp database. The
// webhook measures start it through FLOOR_SERVER, which adds the HMAC-only floor route (./webhook-floor.mjs).
import { spawn } from "node:child_process";
import { once } from "node:events";

export { freePort } from "../../scripts/lib/free-port.mjs";

/** The production server with the benchmark's webhook floor route, relative to the repository root. */
export const FLOOR_SERVER = "bench/lib/floor-server.mjs";

/** `script`: server.mjs, or FLOOR_SERVER for the same server with the floor route. */
export async function startServer({ root, env, script = "server.mjs", nodeArgs = [], args = [], timeoutMs = 30_000 }) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid,
    stderr: () => stderr,
    /** A crash: SIGKILL, nothing finishes. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await once(child, "exit");
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
