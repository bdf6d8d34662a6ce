// A limited campaign coupon's sold units (lib/domain/coupon-units.ts), and its use count.
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type Db, sendOptions } from "./db.ts";
import { couponUnitPartition, keys, sortPrefix } from "./keys.ts";
import { readCoupon } from "./reads.ts";

/** Counts or lists a partition's items, sort keys starting with `prefix`, page by page. */
async function* pages(db: Db, pk: string, prefix: string, select: "COUNT" | "unit") {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
        ...(select === "COUNT"
          ? { Select: "COUNT" }
          : { ProjectionExpression: "#unit", ExpressionAttributeNames: { "#unit": "unit" } }),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
      sendOptions(db),
    );
    yield page;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** The unit numbers of a coupon already sold (strongly consistent: it decides "sold out"). */
export async function takenUnits(db: Db, couponId: number): Promise<Set<number>> {
  const taken = new Set<number>();
  for await (const page of pages(db, couponUnitPartition(couponId), "UNIT#", "unit")) {
    for (const item of page.Items ?? []) taken.add(Number(item.unit));
  }
  return taken;
}

async function countOf(db: Db, pk: string, prefix: string): Promise<number> {
  let count = 0;
  for await (const page of pages(db, pk, prefix, "COUNT")) count += page.Count ?? 0;
  return count;
}

/**
 * How many times a campaign coupon has been used: the Coupon's own `used` (what was imported) plus
 * what this service sold: its CouponUnit items when limited (`total` > 0), else its CouponUse items.
 * For a limited coupon this never exceeds the largest `total` it had while selling.
 */
export async function couponUseCount(db: Db, couponId: number): Promise<number> {
  const coupon = await readCoupon(db, couponId);
  if (!coupon) return 0;
  const sold =
    coupon.total > 0
      ? await countOf(db, couponUnitPartition(couponId), "UNIT#")
      : await countOf(db, keys.coupon(couponId).pk, sortPrefix.couponUse);
  return coupon.used + sold;
}
