// Errors that mean "the database cannot be reached right now" (a restart, a dropped connection, a lock held too
// long), not "this request is wrong": the caller should retry. Prisma codes: P1001 cannot reach the server,
// P1002 timed out reaching it, P1008 operation timed out (SQLite's SQLITE_BUSY arrives as this), P1017 the server
// closed the connection, P2024 no pool connection in time.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
// The driver adapters' own kinds, thrown unwrapped from a commit or rollback on a dead connection.
const UNAVAILABLE_KINDS = new Set([
  "ConnectionClosed",
  "DatabaseNotReachable",
  "SocketTimeout",
  "TooManyConnections",
]);
// PostgreSQL while it restarts: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now.
const RESTARTING_CODES = new Set(["57P01", "57P02", "57P03"]);
// What pg throws, unmapped, when a connection dies under a query.
const CONNECTION_LOST =
  /Connection terminated|ECONNREFUSED|ECONNRESET|Can't reach database server|Server has closed the connection/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message, name, cause } = error as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    cause?: unknown;
  };
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || RESTARTING_CODES.has(code))) return true;
  // SQLite's lock still held by another process after the busy timeout (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT …).
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  if (name === "DriverAdapterError" && typeof cause === "object" && cause !== null) {
    const { kind, originalCode } = cause as { kind?: unknown; originalCode?: unknown };
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    if (typeof originalCode === "string" && RESTARTING_CODES.has(originalCode)) return true;
  }
  return error instanceof Error && typeof message === "string" && CONNECTION_LOST.test(message);
}
