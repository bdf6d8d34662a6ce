// The accept request: valibot schema (every message names its field), read into the terms of an accept.
import * as v from "valibot";
import { ADDRESS_FIELDS, type AddressField, addressField } from "../domain/address.ts";
import type { AcceptTerms } from "../domain/terms.ts";
import { maxCodePoints } from "../domain/text.ts";
import { Refusal } from "../errors.ts";
import type { MessageArgs, MessageKey } from "../i18n/messages.ts";

const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * valibot carries messages as strings, so each schema message is the id of a refusal registered here
 * (a catalogue key and its parameters); parseAcceptRequest throws the refusal its first issue names.
 */
const refusals = new Map<string, () => Refusal>();
function says<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  const id = JSON.stringify([key, ...args]);
  refusals.set(id, () => new Refusal(key, ...args));
  return id;
}

/** The refusal a schema message names (undefined for a message not made by `says`). */
export const refusalFor = (message: string): Refusal | undefined => refusals.get(message)?.();

function intIn(
  field: string,
  min: number,
  max: number,
  message = says("field.int_range", { field, min, max }),
) {
  return v.pipe(
    v.number(message),
    v.safeInteger(message),
    v.minValue(min, message),
    v.maxValue(max, message),
  );
}
const positiveId = (field: string) => intIn(field, 1, MAX_ID, says("field.positive_integer", { field }));
/** Coupon ids: 0 is how AnqiCMS front ends say "none". */
const optionalId = (field: string) => intIn(field, 0, MAX_ID, says("field.non_negative_integer", { field }));

/**
 * Trimmed, at most `max` characters (code points: 250 emoji are a valid remark), and well-formed Unicode:
 * DynamoDB refuses a lone surrogate, so it must be a `-1` here, not a failed write.
 */
function text(field: string, max: number) {
  return v.pipe(
    v.string(says("field.not_string", { field })),
    v.check((value) => value.isWellFormed(), says("field.not_unicode", { field })),
    v.trim(),
    maxCodePoints(max, says("field.too_long", { field, max })),
  );
}

/** valibot's object() also takes arrays (they are objects); a JSON list is never one of our objects. */
function jsonObject<const E extends v.ObjectEntries>(entries: E, message: string) {
  const schema = v.object(entries, message);
  return v.lazy((input) => (Array.isArray(input) ? v.never(message) : schema));
}

const AddressInput = jsonObject(
  {
    id: v.nullish(optionalId("address.id")),
    ...(Object.fromEntries(
      ADDRESS_FIELDS.map((field) => [field, v.nullish(text(`address.${field}`, addressField(field).max))]),
    ) as Record<AddressField, v.NullishSchema<ReturnType<typeof text>, undefined>>),
  },
  says("request.address_not_object"),
);

const DetailLine = v.object(
  {
    goods_id: positiveId("details[0].goods_id"),
    quantity: intIn("details[0].quantity", 0, 9999),
    goods_sku_id: v.nullish(optionalId("details[0].goods_sku_id")),
  },
  says("request.details_line_not_object"),
);

/** Trimmed like any text; "" (or blank) is absent, as for every other field: goods, the only type. */
const OrderType = v.pipe(
  v.string(says("field.not_string", { field: "type" })),
  v.trim(),
  v.check((type) => type !== "vip", says("request.type_vip")),
  v.check((type) => type === "" || type === "goods", says("request.type_not_goods")),
);

export const AcceptBody = jsonObject(
  {
    comm_order_id: v.nullish(positiveId("comm_order_id")),
    goods_id: v.nullish(positiveId("goods_id")),
    quantity: v.nullish(intIn("quantity", 0, 9999)),
    goods_sku_id: v.nullish(optionalId("goods_sku_id")),
    details: v.nullish(
      v.pipe(
        v.array(DetailLine, says("request.details_not_list")),
        v.length(1, says("request.details_one_line")),
      ),
    ),
    remark: v.nullish(text("remark", 250)),
    type: v.nullish(OrderType),
    coupon_code: v.nullish(text("coupon_code", 64)),
    coupon_code_id: v.nullish(optionalId("coupon_code_id")),
    coupon_id: v.nullish(optionalId("coupon_id")),
    address: v.nullish(AddressInput),
  },
  says("body.not_object"),
);

/** Validates a parsed JSON body; throws a Refusal naming the first field at fault. */
export function parseAcceptRequest(body: unknown): AcceptTerms {
  const result = v.safeParse(AcceptBody, body, { abortEarly: true });
  if (!result.success) throw refusalFor(result.issues[0]?.message ?? "") ?? new Refusal("request.invalid");
  const input = result.output;
  if (!input.comm_order_id && !input.goods_id && !input.details) {
    throw new Refusal("request.no_target");
  }
  const line = input.details?.[0];
  const quantity = line ? line.quantity : (input.quantity ?? 0);
  return {
    commOrderId: input.comm_order_id ?? undefined,
    goodsId: line ? line.goods_id : (input.goods_id ?? undefined),
    quantity: quantity === 0 ? 1 : quantity,
    skuId: (line ? line.goods_sku_id : input.goods_sku_id) ?? 0,
    remark: input.remark || undefined,
    couponCode: input.coupon_code || undefined,
    couponCodeId: input.coupon_code_id || undefined,
    couponId: input.coupon_id || undefined,
    address: input.address ?? undefined,
  };
}
