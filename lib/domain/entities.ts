// The stored entities of docs/data-model.md, as valibot schemas. Stored items and fixtures are parsed
// through these at the boundary (never cast); missing attributes take the documented defaults.
import * as v from "valibot";
import { languageOfTag } from "../i18n/language.ts";
import { DEFAULT_LANGUAGE } from "../i18n/messages.ts";
import { ADDRESS_FIELDS, type AddressField, addressField } from "./address.ts";
import { QuotationStatus, VoucherStatus } from "./statuses.ts";
import { maxCodePoints } from "./text.ts";

const int = (fallback = 0) => v.optional(v.pipe(v.number(), v.safeInteger()), fallback);
/**
 * Money (cents), counts and references to other items: never negative. A stored `-7` is a data fault
 * (logged with its entity and field, answered 503), never a price, a seller or a referrer.
 */
const nat = v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0)), 0);
const id = v.pipe(v.number(), v.safeInteger(), v.minValue(1));
/** Lengths in code points (docs/data-model.md): an item valid by the data model is never "too long" here. */
const str = (max: number) => v.optional(v.pipe(v.string(), maxCodePoints(max)), "");
const flag = v.optional(v.picklist([0, 1]), 0);
const percent = v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100)), 0);

/**
 * A year. An unpaid order's `end_time` is `created_time + auto_close_minute × 60`: past this, it is no
 * deadline a shop means, and it would leave what every store of an order can hold (a 32-bit Unix time,
 * soon after; a safe integer, for the largest values). Beyond it the Settings item is a data fault.
 */
const MAX_AUTO_CLOSE_MINUTES = 365 * 24 * 60;

export const SettingsSchema = v.object({
  seller_percent: percent,
  auto_close_minute: v.optional(
    v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_AUTO_CLOSE_MINUTES)),
    0,
  ),
  allow_self: flag,
  become_retailer: flag,
  timezone: v.optional(
    v.pipe(
      v.string(),
      v.check((zone) => isTimeZone(zone), "timezone must be an IANA time zone name"),
    ),
    "Asia/Shanghai",
  ),
  /**
   * The site's language for messages, when the request's Accept-Language names none of ours. Read as
   * a language tag (`zh-tw`, `zh-Hant`, `en`), and an unknown one as the default: a cosmetic setting
   * must never stop every order with a data fault.
   */
  language: v.optional(
    v.pipe(
      v.string(),
      v.transform((tag) => languageOfTag(tag) ?? DEFAULT_LANGUAGE),
    ),
    DEFAULT_LANGUAGE,
  ),
});

export const UserGroupSchema = v.object({
  id,
  title: str(250),
  status: int(1),
  setting: v.optional(v.object({ share_reward: percent, parent_reward: percent, discount: percent }), () => ({
    share_reward: 0,
    parent_reward: 0,
    discount: 0,
  })),
});

export const UserSchema = v.object({
  id,
  user_name: str(250),
  email: str(250),
  phone: str(20),
  group_id: nat,
  parent_id: nat,
  is_retailer: flag,
  status: int(1),
});

export const SkuSchema = v.object({ id, title: str(250), price: nat });

export const GoodsSchema = v.object({
  id,
  title: str(250),
  price: nat,
  user_id: nat,
  status: int(1),
  skus: v.optional(v.array(SkuSchema), () => []),
});

export const CommOrderSchema = v.object({
  id,
  user_id: id,
  archive_id: nat,
  title: str(250),
  content: str(65_535),
  phone: str(20),
  status: v.optional(v.picklist(Object.values(QuotationStatus)), QuotationStatus.pending),
  admin_id: nat,
  quote_price: v.optional(v.string(), ""),
  quote_content: str(65_535),
  quote_expire_time: int(),
  order_id: v.optional(v.string(), ""),
  accepted_time: int(),
  created_time: int(),
  updated_time: int(),
});

/** The address fields, each within its limit (lib/domain/address.ts). */
const addressFields = Object.fromEntries(
  ADDRESS_FIELDS.map((field) => [field, str(addressField(field).max)]),
) as Record<AddressField, ReturnType<typeof str>>;

export const AddressSchema = v.object({ id, user_id: id, ...addressFields, created_time: int() });

export const CouponSchema = v.object({
  id,
  title: str(250),
  type: v.optional(v.picklist(["reduce", "discount"]), "reduce"),
  amount: nat,
  percent: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(99)), 0),
  min_amount: nat,
  start_time: int(),
  end_time: int(),
  status: int(1),
  goods_ids: v.optional(v.array(v.pipe(v.number(), v.safeInteger(), v.minValue(0))), () => []),
  total: nat,
  used: nat,
  /** 1: a campaign coupon, redeemable by coupon_id; 0 (default): only through a voucher. */
  public: flag,
  /** Written by the accept once every unit is sold: the `total` and `used` it was sold out at. */
  sold_out_total: nat,
  sold_out_used: nat,
});

export const CouponCodeSchema = v.object({
  id,
  coupon_id: id,
  code: v.pipe(v.string(), v.minLength(1), maxCodePoints(64)),
  user_id: id,
  status: v.optional(v.picklist(Object.values(VoucherStatus)), VoucherStatus.unused),
  expire_time: int(),
  used_order_id: v.optional(v.string(), ""),
  used_time: int(),
});

/** A campaign coupon's use by one user (once each), and its unit (one per use): written by the accept. */
const couponUse = { coupon_id: id, user_id: id, order_id: v.string(), created_time: int() };
export const CouponUseSchema = v.object(couponUse);
export const CouponUnitSchema = v.object({ ...couponUse, unit: id });
/** A campaign coupon's ticket counter (lib/domain/coupon-stock.ts): tickets taken, the last one when. */
export const CouponTicketsSchema = v.object({ coupon_id: id, issued: nat, taken_time: int() });
/** A ticket held until its order's transaction commits (lib/domain/coupon-stock.ts). */
export const CouponHoldSchema = v.object({ coupon_id: id, unit: id, holder: v.string(), until: int() });

export type Settings = v.InferOutput<typeof SettingsSchema>;
export type UserGroup = v.InferOutput<typeof UserGroupSchema>;
export type User = v.InferOutput<typeof UserSchema>;
export type Goods = v.InferOutput<typeof GoodsSchema>;
export type CommOrder = v.InferOutput<typeof CommOrderSchema>;
export type Address = v.InferOutput<typeof AddressSchema>;
export type Coupon = v.InferOutput<typeof CouponSchema>;
export type CouponCode = v.InferOutput<typeof CouponCodeSchema>;
export type CouponUse = v.InferOutput<typeof CouponUseSchema>;
export type CouponUnit = v.InferOutput<typeof CouponUnitSchema>;
export type CouponTickets = v.InferOutput<typeof CouponTicketsSchema>;
export type CouponHold = v.InferOutput<typeof CouponHoldSchema>;

/** A function, not a constant: checking the default time zone loads ICU's zone data, which an import
 * (a cold start that may only answer 1001) should not pay for. */
export const defaultSettings = (): Settings => v.parse(SettingsSchema, {});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
