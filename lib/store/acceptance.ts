// The one TransactWriteItems of an accepted quotation (rule 8, docs/accept.md), and what its cancellation means.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Address } from "../domain/entities.ts";
import type {
  CommissionRecord,
  OrderAddressRecord,
  OrderDetailRecord,
  OrderRecord,
} from "../domain/order-records.ts";
import { type Db, readCancellation, sendOptions } from "./db.ts";
import { keys } from "./keys.ts";

export interface AcceptancePlan {
  order: OrderRecord;
  detail: OrderDetailRecord;
  snapshot?: OrderAddressRecord | undefined;
  /** A new address-book entry, when the request brought a new address. */
  newAddress?: Address | undefined;
  commissions: CommissionRecord[];
  /** The quotation as it was priced: the update only applies if it is still exactly that. */
  quotation: { userId: number; id: number; quotePrice: string };
  voucher?: { userId: number; id: number } | undefined;
  /** A campaign coupon (no code): one use per user, and, when limited (total > 0), the unit it claims. */
  campaignCoupon?: { couponId: number; userId: number; unit?: number | undefined } | undefined;
}

export type WriteKind =
  | "order"
  | "detail"
  | "snapshot"
  | "address"
  | "commission"
  | "quotation"
  | "voucher"
  | "coupon"
  | "coupon_use";

/**
 * The transaction was cancelled: which writes' conditions failed, and whether it was only transient
 * (another transaction held an item, or an item was throttled), so that trying again may succeed, and
 * on which writes' items.
 */
export class AcceptanceCancelled extends Error {
  override name = "AcceptanceCancelled";
  readonly failed: WriteKind[];
  readonly transient: boolean;
  readonly conflicted: WriteKind[];
  constructor(failed: WriteKind[], transient: boolean, conflicted: WriteKind[] = []) {
    super(transient ? "transaction cancelled transiently" : `conditions failed: ${failed.join(", ")}`);
    this.failed = failed;
    this.transient = transient;
    this.conflicted = conflicted;
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const isNew = "attribute_not_exists(pk)";

export function buildAcceptance(table: string, plan: AcceptancePlan) {
  const { order, quotation } = plan;
  const now = order.created_time;
  const writes: [WriteKind, TransactItem][] = [];
  const put = (kind: WriteKind, key: object, entity: string, record: object, condition?: string) =>
    writes.push([
      kind,
      {
        Put: {
          TableName: table,
          Item: { ...key, entity, ...record },
          ...(condition ? { ConditionExpression: condition } : {}),
        },
      },
    ]);

  // The order number is unique: a clash cancels the transaction and the caller retries with a new id.
  put("order", keys.order(order.order_id), "Order", order, isNew);
  put("detail", keys.orderDetail(order.order_id, plan.detail.id), "OrderDetail", plan.detail);
  if (plan.snapshot) put("snapshot", keys.orderAddress(order.order_id), "OrderAddress", plan.snapshot);
  if (plan.newAddress) {
    put(
      "address",
      keys.address(plan.newAddress.user_id, plan.newAddress.id),
      "Address",
      plan.newAddress,
      isNew,
    );
  }
  for (const commission of plan.commissions) {
    put("commission", keys.commission(order.order_id, commission.type), "Commission", commission);
  }

  // Still quoted, still the caller's, still the price we charged: else no order at all.
  writes.push([
    "quotation",
    {
      Update: {
        TableName: table,
        Key: keys.commOrder(quotation.userId, quotation.id),
        UpdateExpression:
          "SET #status = :accepted, order_id = :order, accepted_time = :now, updated_time = :now",
        ConditionExpression: "#status = :quoted AND user_id = :user AND quote_price = :price",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":accepted": 3,
          ":order": order.order_id,
          ":now": now,
          ":quoted": 2,
          ":user": quotation.userId,
          ":price": quotation.quotePrice,
        },
      },
    },
  ]);

  if (plan.voucher) {
    writes.push([
      "voucher",
      {
        Update: {
          TableName: table,
          Key: keys.couponCode(plan.voucher.userId, plan.voucher.id),
          UpdateExpression: "SET #status = :used, used_order_id = :order, used_time = :now",
          // A voucher without `status` is unused (default 0, docs/data-model.md).
          ConditionExpression: "(attribute_not_exists(#status) OR #status = :unused) AND user_id = :user",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: {
            ":used": 1,
            ":order": order.order_id,
            ":now": now,
            ":unused": 0,
            ":user": plan.voucher.userId,
          },
        },
      },
    ]);
  }

  if (plan.campaignCoupon) {
    const { couponId, userId, unit } = plan.campaignCoupon;
    // A limited coupon's unit is an item of its own, claimed if absent: no accept writes (or locks) the
    // Coupon item, which every accept of a campaign would share (docs/data-model.md, "Hot items").
    if (unit !== undefined) {
      put(
        "coupon",
        keys.couponUnit(couponId, unit),
        "CouponUnit",
        { coupon_id: couponId, unit, user_id: userId, order_id: order.order_id, created_time: now },
        isNew,
      );
    }
    put(
      "coupon_use",
      keys.couponUse(couponId, userId),
      "CouponUse",
      { coupon_id: couponId, user_id: userId, order_id: order.order_id, created_time: now },
      isNew,
    );
  }

  return {
    kinds: writes.map(([kind]) => kind),
    input: { TransactItems: writes.map(([, item]) => item) } satisfies TransactWriteCommandInput,
  };
}

export async function writeAcceptance(db: Db, plan: AcceptancePlan): Promise<void> {
  const { kinds, input } = buildAcceptance(db.table, plan);
  try {
    await db.doc.send(new TransactWriteCommand(input), sendOptions(db));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const { transient, conditionFailed, transientAt } = readCancellation(error);
    const failed = kinds.filter((_, index) => conditionFailed(index));
    if (!transient && failed.length === 0) throw error;
    throw new AcceptanceCancelled(
      failed,
      transient,
      kinds.filter((_, index) => transientAt(index)),
    );
  }
}
