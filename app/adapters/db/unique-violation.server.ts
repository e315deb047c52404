import { Prisma } from "@prisma/client";

/** True for a unique-constraint violation (Prisma P2002), from either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  // The PostgreSQL client is generated separately, so its error class is another instance.
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Runs `work` again once when it lost a race to insert the same unique row. */
export async function retryOnUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return work();
  }
}
