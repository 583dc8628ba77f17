// The production server (`node server.mjs` over build/) on loopback, with the benchmark's temp database.
import { spawn } from "node:child_process";
import { once } from "node:events";

export { freePort } from "../../scripts/lib/free-port.mjs";

export async function startServer({ root, env, nodeArgs = [], args = [], timeoutMs = 30_000 }) {
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs", ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
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
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
