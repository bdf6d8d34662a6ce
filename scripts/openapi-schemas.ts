// What docs/openapi.json says of each field: the request's descriptions (their types and bounds come from
// the valibot schema, lib/accept/request.ts) and the answer's order, typed by hand after
// lib/domain/order-records.ts and lib/domain/order.ts, whose fields the compiler holds them to (a field
// added there and not described here fails `tsc`); tests/openapi.test.ts checks real answers against it.
import { type AddressField, addressField, ADDRESS_FIELDS as FIELDS } from "../lib/domain/address.ts";
import type { OrderView } from "../lib/domain/order.ts";
import type { OrderDetailRecord } from "../lib/domain/order-records.ts";
import { MAX_BODY_BYTES } from "../lib/http/body.ts";

type Schema = Record<string, unknown>;

/** The request's top-level fields, as the handler reads them (docs/accept.md). */
export const REQUEST_FIELDS: Record<string, string> = {
  comm_order_id:
    "The quotation (communication order) to accept, as sent to the customer. Without it, the caller's one " +
    "quotation for the product named by goods_id or details is taken: the one awaiting acceptance, else " +
    "the most recently accepted (so that a retry replays its order); several awaiting: -1, send comm_order_id.",
  goods_id:
    "The quotation's product, for an order of one product. With comm_order_id it must be that quotation's " +
    "product (-1 otherwise); details[0].goods_id wins when details is sent.",
  quantity: "How many. 0 or absent: 1. Ignored when details is sent (its line says how many).",
  goods_sku_id:
    "The product's SKU. 0 or absent: none; otherwise a SKU of the quotation's product (-1 if not). Ignored when " +
    "details is sent.",
  details:
    "The product as a list of exactly one line (a quotation covers one product), in place of goods_id, " +
    "quantity and goods_sku_id.",
  remark: "The order's remark, trimmed. Absent or empty: the quotation's title.",
  type: "The order type: goods, or absent. vip and any other value are refused (-1): a quotation becomes a goods order.",
  coupon_code:
    "A voucher code the caller owns. With coupon_code_id too, both must name the same voucher; empty or absent: none.",
  coupon_code_id: "A voucher the caller owns, by id. 0 or absent: none.",
  coupon_id:
    "A public campaign coupon, by id (or, beside a voucher, the voucher's own coupon). 0 or absent: none.",
  address:
    "Where the order ships: a saved address (id) with any fields sent overriding it for this order only, or " +
    "a new address (saved to the caller's address book). Absent: the order ships nowhere (order_address null).",
};

/** One line of `details`. */
export const DETAIL_LINE_FIELDS: Record<string, string> = {
  goods_id: "The quotation's product.",
  quantity: "How many. 0: 1.",
  goods_sku_id: "The product's SKU. 0 or absent: none.",
};

const required = "Required for a new address; for a saved one, sent to override its value.";

/** The fields of `address` (lib/domain/address.ts). Empty strings and null count as not sent (never blanking a saved value). */
export const ADDRESS_FIELDS: Record<AddressField | "id", string> = {
  id: "A saved address of the caller (-1 when it is not theirs). 0 or absent: a new address.",
  ...(Object.fromEntries(
    FIELDS.map((field) => {
      const { about, required: needed } = addressField(field);
      return [field, needed ? `${about} ${required}` : about];
    }),
  ) as Record<AddressField, string>),
};

const int = (description: string): Schema => ({ type: "integer", description });
const text = (description: string): Schema => ({ type: "string", description });
const seconds = (description: string) => int(`${description} Unix seconds.`);
const cents = (description: string) => ({ ...int(`${description} Integer cents.`), minimum: 0 });

/** The order line in `data.details`. */
export const orderDetailSchema = {
  type: "object",
  description: "The order's one line: the quotation's product at the quoted price.",
  properties: {
    id: int("The line's id."),
    order_id: text("The order number it belongs to."),
    user_id: int("The buyer."),
    goods_id: int("The product."),
    goods_item_id: int("The product's SKU, 0: none."),
    price: cents("The unit price paid: the quotation's price."),
    origin_price: cents("The catalogue's unit price (the SKU's, else the product's), for reference."),
    amount: cents("What the line costs after the coupon."),
    origin_amount: cents("price × quantity."),
    quantity: { ...int("How many."), minimum: 1 },
    status: int("The line's status as AnqiCMS stores it: 1 for every line of an accepted quotation."),
    created_time: seconds("When the line was written."),
  } satisfies Record<keyof OrderDetailRecord, Schema>,
} as const;

/** The address snapshot in `data.order_address`: the address as it was when the order was placed. */
export const orderAddressSchema = {
  type: "object",
  description:
    "The address the order ships to, copied when the order was placed (later edits of the address book do not change it).",
  properties: {
    id: int("The snapshot's id (data.address_id)."),
    order_id: text("The order number it belongs to."),
    user_id: int("The buyer."),
    ...Object.fromEntries(
      Object.entries(ADDRESS_FIELDS)
        .filter(([name]) => name !== "id")
        .map(([name, description]) => [name, text(`${description.split(". ")[0]}. "" when not given.`)]),
    ),
    created_time: seconds("When the order was placed."),
  },
} as const;

/** `data` of a success: the order as AnqiCMS shows it, plus the line, the snapshot and the coupon fields. */
export const orderSchema = {
  type: "object",
  description:
    "The order awaiting payment: every field of AnqiCMS's order, then comm_order_id, the coupon ids, the " +
    "line and the address snapshot. Amounts are integer cents. A replay answers the order as it is now.",
  properties: {
    id: int("The order's id (unique, increasing)."),
    created_time: seconds("When the order was accepted."),
    updated_time: seconds("When the order last changed: created_time for a new order."),
    order_id: {
      type: "string",
      pattern: "^[0-9]{18}$",
      description:
        "The order number: created_time as yyyyMMddHHmmss in the site's time zone, then the last 4 digits of id.",
    },
    payment_id: text("The payment transaction's id: empty until paid."),
    user_id: int("The buyer: the token's AnqiCMS user."),
    address_id: int("The address snapshot's id (order_address.id); 0 when the order ships nowhere."),
    remark: text("The remark as sent, trimmed; the quotation's title when none was sent."),
    type: { type: "string", enum: ["goods"], description: "The order type: always goods." },
    status: {
      type: "integer",
      enum: [-1, 0, 1, 2, 3, 8, 9],
      description:
        "-1 cancelled, 0 awaiting payment, 1 paid, 2 shipped, 3 completed, 8 refunding, 9 refunded. 0 for a new order.",
    },
    refund_status: {
      type: "integer",
      enum: [-1, 0, 1],
      description: "-1 refund failed, 0 none or in progress, 1 refunded.",
    },
    origin_amount: cents("The total before the coupon: the quoted price × quantity."),
    amount: cents("The total to pay: origin_amount − discount_amount."),
    paid_time: seconds("When it was paid; 0 until paid."),
    end_time: seconds(
      "When an unpaid order closes (created_time + the site's auto-close minutes); 0: never closes.",
    ),
    deliver_time: seconds("When it was shipped; 0 until shipped."),
    finished_time: seconds("When it was completed; 0 until completed."),
    discount_amount: cents("What the coupon took off."),
    seller_id: int("The seller (the product's owner, an AnqiCMS user), 0: the site."),
    seller_amount: cents("The seller's commission."),
    share_user_id: int("The buyer's promoter (referrer), 0: none."),
    share_parent_user_id: int("The promoter's own referrer, 0: none."),
    share_amount: cents("The promoter's commission."),
    share_parent_amount: cents("The promoter's referrer's commission."),
    express_company: text("The courier: empty until shipped."),
    tracking_number: text("The courier's tracking number: empty until shipped."),
    comm_order_id: int("The accepted quotation (communication order)."),
    coupon_code_id: int("The voucher redeemed, 0: none."),
    coupon_id: int("The coupon redeemed (through a voucher or by id), 0: none."),
    details: {
      type: "array",
      minItems: 1,
      maxItems: 1,
      description: "The order's line: exactly one.",
      items: { $ref: "#/components/schemas/OrderDetail" },
    },
    order_address: {
      description: "The address snapshot, or null when the order ships nowhere.",
      anyOf: [{ $ref: "#/components/schemas/OrderAddress" }, { type: "null" }],
    },
  } satisfies Record<keyof OrderView, Schema>,
} as const;

export const requestBodyDescription =
  `JSON whatever the Content-Type, at most ${MAX_BODY_BYTES / 1024} KiB. One of comm_order_id, goods_id and ` +
  "details names the quotation. Integers are JSON numbers with an integer value: 1.0 and 1e3 read as 1 and " +
  '1000; 1.5 and "1" are refused. null means absent for every field; unknown fields are ignored. The first ' +
  "field at fault is named in the -1 message.";

/** Every property of `schema` gets its description from `descriptions`; one without is an error. */
export function describe(schema: Schema, descriptions: Record<string, string>, where: string): Schema {
  const properties = schema.properties as Record<string, Schema>;
  for (const name of Object.keys(properties)) {
    const description = descriptions[name];
    if (!description) throw new Error(`${where}.${name} has no description in scripts/openapi-schemas.ts`);
    properties[name] = { description, ...properties[name] };
  }
  return schema;
}
