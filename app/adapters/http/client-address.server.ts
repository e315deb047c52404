// server.ts passes the client's address (express `req.ip`) to loaders and actions as load context.
export function clientAddressOf(context: unknown): string | null {
  const address = (context as { clientAddress?: unknown } | null | undefined)?.clientAddress;
  return typeof address === "string" && address.length > 0 ? address : null;
}
