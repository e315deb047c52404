import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { cachedPrepare } from "~/adapters/db/sqlite-statements.server";

describe("the SQLite prepared-statement cache", () => {
  const connection = new Database(":memory:");
  connection.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
  afterEach(() => connection.exec("DELETE FROM item"));

  function counting() {
    const prepared: string[] = [];
    const prepare = cachedPrepare((sql) => {
      prepared.push(sql);
      return connection.prepare(sql);
    });
    return { prepare, prepared };
  }

  it("prepares a statement once and runs it with each call's own arguments", () => {
    const { prepare, prepared } = counting();
    for (const [id, name] of [
      [1, "one"],
      [2, "two"],
    ] as const) {
      const insert = prepare("INSERT INTO item (id, name) VALUES (?, ?)").bind([id, name]);
      expect(insert.reader).toBe(false);
      expect(insert.run().changes).toBe(1);
    }
    const select = "SELECT id, name FROM item WHERE id = ?";
    const first = prepare(select).bind([1]);
    const second = prepare(select).bind([2]);
    expect(first.columns().map((column) => column.name)).toEqual(["id", "name"]);
    expect(second.raw().all()).toEqual([[2, "two"]]);
    expect(first.raw().all()).toEqual([[1, "one"]]);
    expect(prepared).toEqual(["INSERT INTO item (id, name) VALUES (?, ?)", select]);
  });

  it("keeps the 500 statements used last and prepares an evicted one again", () => {
    const { prepare, prepared } = counting();
    const sqlOf = (n: number) => `SELECT ${n} AS n`;
    for (let n = 0; n <= 500; n += 1) prepare(sqlOf(n)); // 501 statements: the first is evicted
    prepare(sqlOf(500)); // kept
    expect(prepared).toHaveLength(501);
    expect(prepare(sqlOf(0)).bind([]).raw().all()).toEqual([[0]]);
    expect(prepared).toHaveLength(502);
  });
});
