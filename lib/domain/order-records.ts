// The records an accepted quotation writes. Schemas, so that stored orders are parsed on read: like every
// stored item, one that lacks an attribute reads as its default (0, ""), as an import or an export that
// drops empty strings leaves them.
import * as v from "valibot";
import { ADDRESS_FIELDS, type AddressField } from "./address.ts";
import { COMMISSION_TYPES } from "./commissions.ts";

const int = v.optional(v.pipe(v.number(), v.safeInteger()), 0);
const str = v.optional(v.string(), "");

export const OrderSchema = v.object({
  id: int,
  created_time: int,
  updated_time: int,
  order_id: str,
  payment_id: str,
  user_id: int,
  address_id: int,
  remark: str,
  type: str,
  status: int,
  refund_status: int,
  origin_amount: int,
  amount: int,
  paid_time: int,
  end_time: int,
  deliver_time: int,
  finished_time: int,
  discount_amount: int,
  seller_id: int,
  seller_amount: int,
  share_user_id: int,
  share_parent_user_id: int,
  share_amount: int,
  share_parent_amount: int,
  express_company: str,
  tracking_number: str,
  comm_order_id: int,
  coupon_code_id: int,
  coupon_id: int,
  /**
   * Which request created the order (lib/domain/fingerprint.ts); not part of the response. "" on an
   * order made before this service: see sameRequest.
   */
  accept_fingerprint: str,
});

export const OrderDetailSchema = v.object({
  id: int,
  order_id: str,
  user_id: int,
  goods_id: int,
  goods_item_id: int,
  price: int,
  origin_price: int,
  amount: int,
  origin_amount: int,
  quantity: int,
  status: int,
  created_time: int,
});

export const OrderAddressSchema = v.object({
  id: int,
  order_id: str,
  user_id: int,
  ...(Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, str])) as Record<AddressField, typeof str>),
  created_time: int,
});

export type OrderRecord = v.InferOutput<typeof OrderSchema>;
export type OrderDetailRecord = v.InferOutput<typeof OrderDetailSchema>;
export type OrderAddressRecord = v.InferOutput<typeof OrderAddressSchema>;

export const CommissionSchema = v.object({
  id: int,
  user_id: int,
  order_id: str,
  order_amount: int,
  amount: int,
  type: v.picklist(COMMISSION_TYPES),
  status: int,
  remark: str,
  created_time: int,
});

export type CommissionRecord = v.InferOutput<typeof CommissionSchema>;

export interface StoredOrder {
  order: OrderRecord;
  details: OrderDetailRecord[];
  address: OrderAddressRecord | undefined;
}
