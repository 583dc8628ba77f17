import net from "node:net";

/**
 * A TCP port on 127.0.0.1 that nobody listens on right now (the OS picks it): for the servers the demo, the tests and
 * the benchmark start.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
