import { Prisma } from "@prisma/client";
import type { Database } from "../../app/adapters/db/client.server";

// Every table of the model set, read generically so that a table added later is covered without a change here.
type Delegate = {
  findMany(args: { where: Record<string, string> }): Promise<unknown[]>;
  count(): Promise<number>;
};

interface ModelInfo {
  name: string;
  /** The column that names the shop: `shopDomain`, or `shop` for Shopify's Session table. */
  shopColumn: string;
}

export function allModels(): ModelInfo[] {
  return Prisma.dmmf.datamodel.models.map((model) => {
    const column = model.fields.find(
      (field) => field.kind === "scalar" && (field.name === "shopDomain" || field.name === "shop"),
    );
    if (!column) throw new Error(`table ${model.name} names no shop: every table of shop data must`);
    return { name: model.name, shopColumn: column.name };
  });
}

function delegate(database: Database, model: string): Delegate {
  const key = `${model[0]!.toLowerCase()}${model.slice(1)}`;
  return (database as unknown as Record<string, Delegate>)[key]!;
}

const stable = (row: unknown) =>
  JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value));

/** Every row of every table that belongs to `shopDomain`, in a stable order, as JSON text per table. */
export async function shopRows(database: Database, shopDomain: string): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const model of allModels()) {
    const rows = await delegate(database, model.name).findMany({ where: { [model.shopColumn]: shopDomain } });
    snapshot[model.name] = rows.map(stable).sort();
  }
  return snapshot;
}

/** The number of rows of every table. */
export async function tableCounts(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const model of allModels()) counts[model.name] = await delegate(database, model.name).count();
  return counts;
}
