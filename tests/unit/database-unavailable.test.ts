import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../app/adapters/db/unavailable.server";

// What the app answers 503 (retry later) instead of 500: errors of a database that is briefly away.
describe("isDatabaseUnavailable", () => {
  const prismaError = (code: string, message = "x") =>
    Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code });
  const adapterError = (kind: string, originalCode?: string) =>
    Object.assign(new Error(kind), { name: "DriverAdapterError", cause: { kind, originalCode } });

  it("recognises Prisma's codes for an unreachable server, a closed connection, a timeout and an empty pool", () => {
    for (const code of ["P1001", "P1002", "P1008", "P1017", "P2024"]) {
      expect(isDatabaseUnavailable(prismaError(code)), code).toBe(true);
    }
  });

  it("recognises a driver adapter's dead connection, PostgreSQL restarting and SQLite's lock held too long", () => {
    expect(isDatabaseUnavailable(adapterError("ConnectionClosed"))).toBe(true);
    expect(isDatabaseUnavailable(adapterError("DatabaseNotReachable"))).toBe(true);
    expect(isDatabaseUnavailable(adapterError("postgres", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("locked"), { code: "SQLITE_BUSY_SNAPSHOT" }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("leaves a request's own faults and other errors alone", () => {
    expect(isDatabaseUnavailable(prismaError("P2002"))).toBe(false); // unique violation
    expect(isDatabaseUnavailable(prismaError("P2025"))).toBe(false); // record not found
    expect(isDatabaseUnavailable(adapterError("UniqueConstraintViolation"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated")).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
