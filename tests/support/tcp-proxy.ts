import { connect, createServer, type Socket } from "node:net";

// A TCP proxy the test controls, between the app and a server it cannot restart (PostgreSQL). `cut()` is what
// clients see while the server restarts: every open connection drops and new ones are refused (the port stops
// listening); `restore()` listens again on the same port.
export interface TcpProxy {
  /** The local port clients connect to. */
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let connections = 0;
  let listening = false;
  const server = createServer((client) => {
    connections += 1;
    const upstream = connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        listening = true;
        resolve();
      });
    });
  await listen(0);
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the proxy has no port");
  const port = address.port;

  async function cut() {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of open) socket.destroy();
    open.clear();
    await closed;
  }

  return {
    port,
    get connections() {
      return connections;
    },
    cut,
    async restore() {
      if (!listening) await listen(port);
    },
    close: cut,
  };
}
