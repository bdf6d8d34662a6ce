// Fixture files (docs/data-model.md): validated whole before anything is written, then loaded with the
// project's own keys. Loading the same file twice leaves the table as after one load.
import { TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as v from "valibot";
import * as E from "../domain/entities.ts";
import type { Db } from "./db.ts";
import type { Counter } from "./ids.ts";
import { type Key, keys } from "./keys.ts";

const lists = {
  user_groups: {
    schema: E.UserGroupSchema,
    entity: "UserGroup",
    key: (g: E.UserGroup) => keys.userGroup(g.id),
  },
  users: { schema: E.UserSchema, entity: "User", key: (u: E.User) => keys.user(u.id) },
  goods: { schema: E.GoodsSchema, entity: "Goods", key: (g: E.Goods) => keys.goods(g.id) },
  comm_orders: {
    schema: E.CommOrderSchema,
    entity: "CommOrder",
    key: (c: E.CommOrder) => keys.commOrder(c.user_id, c.id),
  },
  addresses: {
    schema: E.AddressSchema,
    entity: "Address",
    key: (a: E.Address) => keys.address(a.user_id, a.id),
  },
  coupons: { schema: E.CouponSchema, entity: "Coupon", key: (c: E.Coupon) => keys.coupon(c.id) },
  coupon_codes: {
    schema: E.CouponCodeSchema,
    entity: "CouponCode",
    key: (c: E.CouponCode) => keys.couponCode(c.user_id, c.id),
  },
} as const;

type ListName = keyof typeof lists;

const FixtureSchema = v.strictObject({
  settings: v.optional(E.SettingsSchema),
  ...(Object.fromEntries(
    Object.entries(lists).map(([name, { schema }]) => [name, v.optional(v.array(schema))]),
  ) as {
    [K in ListName]: v.OptionalSchema<v.ArraySchema<(typeof lists)[K]["schema"], undefined>, undefined>;
  }),
});

export interface FixtureItem extends Key {
  entity: string;
  [attribute: string]: unknown;
}

export class FixtureError extends Error {
  override name = "FixtureError";
}

/** Every item the fixture describes, or a FixtureError naming the entity, the index and the field. */
export function parseFixture(document: unknown): FixtureItem[] {
  const result = v.safeParse(FixtureSchema, document);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue ? (v.getDotPath(issue) ?? "fixture") : "fixture";
    throw new FixtureError(`fixture ${path.replace(/\.(\d+)/g, "[$1]")}: ${issue?.message ?? "invalid"}`);
  }
  const fixture = result.output;
  const items: FixtureItem[] = [];
  if (fixture.settings) items.push({ ...keys.settings(), entity: "Settings", ...fixture.settings });
  for (const name of Object.keys(lists) as ListName[]) {
    const { entity, key } = lists[name];
    const seen = new Map<string, number>();
    (fixture[name] ?? []).forEach((record, index) => {
      const itemKey = (key as (record: unknown) => Key)(record);
      const id = `${itemKey.pk}/${itemKey.sk}`;
      const first = seen.get(id);
      if (first !== undefined)
        throw new FixtureError(`fixture ${name}[${index}].id: duplicates ${name}[${first}]`);
      seen.set(id, index);
      items.push({ ...itemKey, entity, ...record });
    });
  }
  return items;
}

/** New ids must start past the fixture's own: counters are raised to the largest id loaded. */
function counterFloors(items: FixtureItem[]): Partial<Record<Counter, number>> {
  const addressIds = items.filter((item) => item.entity === "Address").map((item) => Number(item.id));
  return addressIds.length > 0 ? { address: Math.max(...addressIds) } : {};
}

const TRANSACTION_LIMIT = 100;

export async function loadFixture(db: Db, items: FixtureItem[]): Promise<void> {
  // One transaction per 100 items: a fixture of up to 100 items loads entirely or not at all.
  for (let start = 0; start < items.length; start += TRANSACTION_LIMIT) {
    const chunk = items.slice(start, start + TRANSACTION_LIMIT);
    await db.doc.send(
      new TransactWriteCommand({
        TransactItems: chunk.map((Item) => ({ Put: { TableName: db.table, Item } })),
      }),
    );
  }
  for (const [counter, floor] of Object.entries(counterFloors(items))) {
    await db.doc
      .send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.counter(counter),
          UpdateExpression: "SET #value = :floor, entity = :entity",
          ConditionExpression: "attribute_not_exists(#value) OR #value < :floor",
          ExpressionAttributeNames: { "#value": "value" },
          ExpressionAttributeValues: { ":floor": floor, ":entity": "Counter" },
        }),
      )
      .catch((error: unknown) => {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      });
  }
}
