// The one TransactWriteItems of an accepted quotation (rule 8, docs/accept.md), and what its cancellation means.
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { AcceptancePlan } from "../domain/plan.ts";
import { QuotationStatus, VoucherStatus } from "../domain/statuses.ts";
import { AcceptanceCancelled, type WriteKind } from "../errors.ts";
import { type Db, readCancellation, sendOptions } from "./db.ts";
import { type Key, keys, lookupIndex, lookupKeys } from "./keys.ts";
import { itemOf, model } from "./model.ts";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const isNew = "attribute_not_exists(pk)";

export function buildAcceptance(table: string, plan: AcceptancePlan) {
  const { order, quotation } = plan;
  const now = order.created_time;
  const writes: [WriteKind, TransactItem][] = [];
  const put = <R extends object>(
    kind: WriteKind,
    of: { name: string; keyOf: (record: R) => Key },
    record: R,
    condition?: string,
  ) =>
    writes.push([
      kind,
      {
        Put: {
          TableName: table,
          Item: itemOf(of, record),
          ...(condition ? { ConditionExpression: condition } : {}),
        },
      },
    ]);

  // The order number is unique: a clash cancels the transaction and the caller retries with a new id.
  put("order", model.order, order, isNew);
  put("detail", model.orderDetail, plan.detail);
  if (plan.snapshot) put("snapshot", model.orderAddress, plan.snapshot);
  if (plan.newAddress) put("address", model.address, plan.newAddress, isNew);
  for (const commission of plan.commissions) put("commission", model.commission, commission);

  // Still quoted, still the caller's, still the price we charged: else no order at all. Its lookup-index
  // keys move with its status, from quoted to accepted (lib/store/keys.ts), in the same write.
  const accepted = lookupKeys.accepted(quotation.userId, plan.detail.goods_id, quotation.id, now);
  writes.push([
    "quotation",
    {
      Update: {
        TableName: table,
        Key: keys.commOrder(quotation.userId, quotation.id),
        UpdateExpression:
          "SET #status = :accepted, order_id = :order, accepted_time = :now, updated_time = :now, " +
          `${lookupIndex.pk} = :lookupPk, ${lookupIndex.sk} = :lookupSk`,
        ConditionExpression: "#status = :quoted AND user_id = :user AND quote_price = :price",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":accepted": QuotationStatus.accepted,
          ":order": order.order_id,
          ":now": now,
          ":lookupPk": accepted.lookup_pk,
          ":lookupSk": accepted.lookup_sk,
          ":quoted": QuotationStatus.quoted,
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
            ":used": VoucherStatus.used,
            ":order": order.order_id,
            ":now": now,
            ":unused": VoucherStatus.unused,
            ":user": plan.voucher.userId,
          },
        },
      },
    ]);
  }

  if (plan.campaignCoupon) {
    const { couponId, userId, hold } = plan.campaignCoupon;
    // The unit of the ticket held is an item of its own, put if absent: no accept writes (or locks) the
    // Coupon item, which every accept of a campaign would share (docs/data-model.md, "Hot items"). The
    // hold goes with it, only while still ours: a hole taken over by another customer is theirs.
    const sold = { user_id: userId, order_id: order.order_id, created_time: now };
    put("coupon", model.couponUnit, { coupon_id: couponId, unit: hold.unit, ...sold }, isNew);
    writes.push([
      "hold",
      {
        Delete: {
          TableName: table,
          Key: keys.couponHold(couponId, hold.unit),
          ConditionExpression: "holder = :holder",
          ExpressionAttributeValues: { ":holder": hold.holder },
        },
      },
    ]);
    put("coupon_use", model.couponUse, { coupon_id: couponId, ...sold }, isNew);
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
