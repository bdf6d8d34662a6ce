// Every stored entity, declared once: its name (the item's `entity` attribute), its schema (parsed on
// every read, defaults for missing attributes) and which key it is stored under (lib/store/keys.ts).
// The reads, the acceptance's transaction, the fixture loader and the OpenAPI document take them from
// here (docs/data-model.md, "Entities and attributes").
import type * as v from "valibot";
import * as E from "../domain/entities.ts";
import * as R from "../domain/order-records.ts";
import { parseItem } from "./db.ts";
import { type Key, keys, type LookupKey, quotationLookup, voucherLookup } from "./keys.ts";

export interface Entity<S extends v.GenericSchema = v.GenericSchema> {
  name: string;
  schema: S;
  /** The key a record of this entity is stored under (a method: any entity is an `Entity`). */
  keyOf(record: v.InferOutput<S>): Key;
  /** Its keys in the lookup index, for the entities the accept finds without an id (lib/store/keys.ts). */
  lookupOf?(record: v.InferOutput<S>): LookupKey | undefined;
}

const entity = <S extends v.GenericSchema>(
  name: string,
  schema: S,
  keyOf: (record: v.InferOutput<S>) => Key,
  lookupOf?: (record: v.InferOutput<S>) => LookupKey | undefined,
): Entity<S> => ({ name, schema, keyOf, ...(lookupOf ? { lookupOf } : {}) });

export const model = {
  settings: entity("Settings", E.SettingsSchema, () => keys.settings()),
  userGroup: entity("UserGroup", E.UserGroupSchema, (group) => keys.userGroup(group.id)),
  user: entity("User", E.UserSchema, (user) => keys.user(user.id)),
  goods: entity("Goods", E.GoodsSchema, (goods) => keys.goods(goods.id)),
  commOrder: entity(
    "CommOrder",
    E.CommOrderSchema,
    (quotation) => keys.commOrder(quotation.user_id, quotation.id),
    quotationLookup,
  ),
  address: entity("Address", E.AddressSchema, (address) => keys.address(address.user_id, address.id)),
  coupon: entity("Coupon", E.CouponSchema, (coupon) => keys.coupon(coupon.id)),
  couponCode: entity(
    "CouponCode",
    E.CouponCodeSchema,
    (voucher) => keys.couponCode(voucher.user_id, voucher.id),
    voucherLookup,
  ),
  couponUse: entity("CouponUse", E.CouponUseSchema, (use) => keys.couponUse(use.coupon_id, use.user_id)),
  couponUnit: entity("CouponUnit", E.CouponUnitSchema, (unit) => keys.couponUnit(unit.coupon_id, unit.unit)),
  couponTickets: entity("CouponTickets", E.CouponTicketsSchema, (tickets) =>
    keys.couponTickets(tickets.coupon_id),
  ),
  couponHold: entity("CouponHold", E.CouponHoldSchema, (hold) => keys.couponHold(hold.coupon_id, hold.unit)),
  order: entity("Order", R.OrderSchema, (order) => keys.order(order.order_id)),
  orderDetail: entity("OrderDetail", R.OrderDetailSchema, (detail) =>
    keys.orderDetail(detail.order_id, detail.id),
  ),
  orderAddress: entity("OrderAddress", R.OrderAddressSchema, (snapshot) =>
    keys.orderAddress(snapshot.order_id),
  ),
  commission: entity("Commission", R.CommissionSchema, (commission) =>
    keys.commission(commission.order_id, commission.type),
  ),
} as const;

/** A record as it is stored: its key, its lookup-index keys if any, its entity's name, its attributes. */
export function itemOf<R extends object>(
  of: { name: string; keyOf: (record: R) => Key; lookupOf?: (record: R) => LookupKey | undefined },
  record: R,
) {
  return { ...of.keyOf(record), ...of.lookupOf?.(record), entity: of.name, ...record };
}

/** A stored item parsed as its entity, never cast: a malformed one is a data fault (lib/store/db.ts). */
export const parseAs = <S extends v.GenericSchema>(
  of: Entity<S>,
  item: Record<string, unknown> | undefined,
) => parseItem(of.schema, item, of.name);
