// What must hold in the table after any scenario, whatever faults, races or retries it went through
// (docs/accept.md rules 6–8, docs/data-model.md). Checked on the raw items, not through the code under test.
import assert from "node:assert/strict";
import type { Item } from "./shop.ts";

/** The invariants, by name; `invariantViolations` reports which failed and on what. */
export const INVARIANTS = [
  "each accepted quotation (CommOrder status 3) has exactly one order, and names its number",
  "each order belongs to an accepted quotation of its buyer, which names it",
  "a quotation that is not accepted has no order and names none",
  "each order has exactly one detail line, priced as the order",
  "an order with address_id > 0 has its address snapshot with that id; address_id 0 has none",
  "detail lines, snapshots and commissions live in their order's partition and name its number",
  "commissions match the order's earnings and sum to at most its amount",
  "order ids, order numbers, detail ids, snapshot ids and commission ids are unique",
  "each used voucher (CouponCode status 1) names an existing order that names it; unused ones name none",
  "each CouponUse names an existing order of its user on its coupon",
  "a campaign coupon has one CouponUnit per use, numbered by its tickets (1 … issued, each once), each naming an order carrying it; no hold names a sold unit",
  "every stored string is well-formed Unicode (no lone surrogates), nested ones and attribute names included",
  "addresses, address snapshots and order remarks are within their lengths in code points",
] as const;

/** Lengths in code points (docs/accept.md rules 3 and 5): the address fields, and an order's remark. */
export const ADDRESS_LIMITS = {
  name: 64,
  last_name: 64,
  phone: 20,
  email: 100,
  province: 100,
  city: 100,
  town: 100,
  country: 100,
  address_info: 255,
  company: 250,
  postcode: 36,
} as const;
export const REMARK_LIMIT = 250;

/** Counted here by string iteration, not by the code under test: one per code point, lone surrogates too. */
const codePoints = (text: string) => [...text].length;

/** Every string in `value` (attribute names included), with the path that leads to it. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) {
    for (const [index, element] of value.entries()) yield* strings(element, `${path}[${index}]`);
  } else if (value instanceof Set) {
    for (const element of value) yield* strings(element, `${path}{}`);
  } else if (value && typeof value === "object") {
    for (const [name, element] of Object.entries(value)) {
      yield [`${path} (a name)`, name];
      yield* strings(element, `${path}.${name}`);
    }
  }
}

const TEXT_LIMITS: Record<string, Readonly<Record<string, number>>> = {
  Address: ADDRESS_LIMITS,
  OrderAddress: ADDRESS_LIMITS,
  Order: { remark: REMARK_LIMIT },
};

const num = (value: unknown) => (typeof value === "number" ? value : Number.NaN);
const str = (value: unknown) => (typeof value === "string" ? value : "");

/** Every broken invariant, as "<invariant>: <what>"; empty when the table is consistent. */
export function invariantViolations(items: readonly Item[]): string[] {
  const found: string[] = [];
  const fail = (index: number, what: string) => found.push(`${INVARIANTS[index]}: ${what}`);
  const of = (entity: string) => items.filter((item) => item.entity === entity);

  const orders = of("Order");
  const quotations = of("CommOrder");
  const orderByNumber = new Map(orders.map((order) => [str(order.order_id), order]));
  const inPartition = (number: string) => items.filter((item) => item.pk === `ORDER#${number}`);

  for (const quotation of quotations) {
    const mine = orders.filter(
      (order) => order.comm_order_id === quotation.id && order.user_id === quotation.user_id,
    );
    if (quotation.status === 3) {
      if (mine.length !== 1) fail(0, `quotation ${quotation.id} has ${mine.length} orders`);
      else if (mine[0]?.order_id !== quotation.order_id) {
        fail(
          0,
          `quotation ${quotation.id} names ${str(quotation.order_id)}, its order is ${str(mine[0]?.order_id)}`,
        );
      }
    } else if (mine.length > 0 || str(quotation.order_id) !== "") {
      fail(2, `quotation ${quotation.id} in status ${String(quotation.status)} has ${mine.length} orders`);
    }
  }

  for (const order of orders) {
    const number = str(order.order_id);
    if (order.pk !== `ORDER#${number}`) fail(5, `order ${number} is stored under ${order.pk}`);
    const accepted = quotations.find(
      (quotation) =>
        quotation.id === order.comm_order_id &&
        quotation.user_id === order.user_id &&
        quotation.status === 3 &&
        quotation.order_id === number,
    );
    if (!accepted) fail(1, `order ${number} (quotation ${String(order.comm_order_id)})`);

    const partition = inPartition(number);
    const details = partition.filter((item) => item.entity === "OrderDetail");
    if (details.length !== 1) fail(3, `order ${number} has ${details.length} detail lines`);
    for (const detail of details) {
      if (detail.amount !== order.amount || detail.origin_amount !== order.origin_amount) {
        fail(3, `order ${number} costs ${String(order.amount)}, its detail ${String(detail.amount)}`);
      }
      if (num(detail.price) * num(detail.quantity) !== order.origin_amount) {
        fail(
          3,
          `order ${number}: ${String(detail.price)} × ${String(detail.quantity)} ≠ ${String(order.origin_amount)}`,
        );
      }
    }

    const snapshots = partition.filter((item) => item.entity === "OrderAddress");
    const wanted = num(order.address_id) > 0 ? 1 : 0;
    if (snapshots.length !== wanted || (wanted === 1 && snapshots[0]?.id !== order.address_id)) {
      fail(4, `order ${number} has address_id ${String(order.address_id)} and ${snapshots.length} snapshots`);
    }

    const commissions = partition.filter((item) => item.entity === "Commission");
    const total = commissions.reduce((sum, commission) => sum + num(commission.amount), 0);
    if (!(total <= num(order.amount)))
      fail(6, `order ${number} pays ${total} out of ${String(order.amount)}`);
    const expected: [string, unknown, unknown][] = [
      ["seller", order.seller_id, order.seller_amount],
      ["share", order.share_user_id, order.share_amount],
      ["share_parent", order.share_parent_user_id, order.share_parent_amount],
    ];
    for (const [type, userId, amount] of expected) {
      const lines = commissions.filter((commission) => commission.type === type);
      const want = num(amount) > 0 ? 1 : 0;
      const line = lines[0];
      if (
        lines.length !== want ||
        (line &&
          (line.user_id !== userId ||
            line.amount !== amount ||
            line.order_amount !== order.amount ||
            line.status !== 0))
      ) {
        fail(
          6,
          `order ${number}: ${lines.length} ${type} commissions for ${String(amount)} to ${String(userId)}`,
        );
      }
    }
  }

  for (const entity of ["OrderDetail", "OrderAddress", "Commission"]) {
    for (const item of of(entity)) {
      const number = str(item.order_id);
      if (item.pk !== `ORDER#${number}` || !orderByNumber.has(number)) {
        fail(5, `${entity} ${String(item.id)} in ${item.pk} names order ${number}`);
      }
    }
  }

  const unique = (entity: string, field: string) => {
    const seen = new Set<unknown>();
    for (const item of of(entity)) {
      if (seen.has(item[field])) fail(7, `${entity}.${field} ${String(item[field])} is repeated`);
      seen.add(item[field]);
    }
  };
  unique("Order", "id");
  unique("Order", "order_id");
  unique("OrderDetail", "id");
  unique("OrderAddress", "id");
  unique("Commission", "id");

  for (const voucher of of("CouponCode")) {
    const used = str(voucher.used_order_id);
    if (voucher.status === 1) {
      const order = orderByNumber.get(used);
      if (!order || order.coupon_code_id !== voucher.id || order.user_id !== voucher.user_id) {
        fail(8, `voucher ${String(voucher.id)} names order "${used}"`);
      }
    } else if (used !== "") {
      fail(8, `voucher ${String(voucher.id)} in status ${String(voucher.status)} names order ${used}`);
    }
  }
  for (const order of orders) {
    if (num(order.coupon_code_id) <= 0) continue;
    const voucher = of("CouponCode").find((item) => item.id === order.coupon_code_id);
    if (voucher?.status !== 1 || voucher.used_order_id !== order.order_id) {
      fail(8, `order ${str(order.order_id)} spent voucher ${String(order.coupon_code_id)}, still unspent`);
    }
  }

  const uses = of("CouponUse");
  for (const use of uses) {
    const order = orderByNumber.get(str(use.order_id));
    if (!order || order.coupon_id !== use.coupon_id || order.user_id !== use.user_id) {
      fail(
        9,
        `use of coupon ${String(use.coupon_id)} by ${String(use.user_id)} names "${str(use.order_id)}"`,
      );
    }
  }
  const units = of("CouponUnit");
  for (const coupon of of("Coupon")) {
    // The use count is `used` (imported) + the coupon's units, one per ticket that was sold.
    const mine = units.filter((unit) => unit.coupon_id === coupon.id);
    const count = uses.filter((use) => use.coupon_id === coupon.id).length;
    const issued = num(of("CouponTickets").find((tickets) => tickets.coupon_id === coupon.id)?.issued ?? 0);
    if (mine.length !== count) {
      fail(10, `coupon ${String(coupon.id)} has ${mine.length} units for ${count} uses`);
    }
    for (const unit of mine) {
      const number = num(unit.unit);
      const order = orderByNumber.get(str(unit.order_id));
      // Not bounded by today's total: a merchant may lower it below units already sold (docs/data-model.md).
      if (!(number >= 1 && number <= issued) || unit.sk !== `UNIT#${String(number).padStart(10, "0")}`) {
        fail(10, `coupon ${String(coupon.id)} unit ${String(unit.unit)} is not a ticket of 1 … ${issued}`);
      }
      if (!order || order.coupon_id !== coupon.id || order.user_id !== unit.user_id) {
        fail(10, `coupon ${String(coupon.id)} unit ${String(unit.unit)} names "${str(unit.order_id)}"`);
      }
    }
    for (const hold of of("CouponHold").filter((item) => item.coupon_id === coupon.id)) {
      if (mine.some((unit) => unit.unit === hold.unit)) {
        fail(10, `coupon ${String(coupon.id)} holds unit ${String(hold.unit)}, which is sold`);
      }
    }
  }

  for (const item of items) {
    for (const [path, text] of strings(item, `${item.entity} ${item.pk}|${item.sk}`)) {
      if (!text.isWellFormed()) fail(11, `${path} is ${JSON.stringify(text)}`);
    }
    for (const [field, max] of Object.entries(TEXT_LIMITS[item.entity] ?? {})) {
      const value = item[field];
      if (typeof value === "string" && codePoints(value) > max) {
        fail(
          12,
          `${item.entity} ${item.pk}|${item.sk}: ${field} has ${codePoints(value)} code points, max ${max}`,
        );
      }
    }
  }

  return found;
}

/** Asserts every invariant on the shop's table; returns the items checked, for further assertions. */
export async function assertInvariants(shop: { items(): Promise<Item[]> }): Promise<Item[]> {
  const items = await shop.items();
  assert.deepEqual(invariantViolations(items), [], "the table breaks invariants");
  return items;
}
