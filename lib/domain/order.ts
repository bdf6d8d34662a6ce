// The records of a new order awaiting payment, built from decisions already taken. Pure.
import type { AddressFields } from "./address.ts";
import { commissionLines, type Earnings } from "./commissions.ts";
import type { Settings } from "./entities.ts";
import { orderNumber } from "./order-number.ts";
import type {
  CommissionRecord,
  OrderAddressRecord,
  OrderDetailRecord,
  OrderRecord,
  StoredOrder,
} from "./order-records.ts";
import type { Amounts } from "./pricing.ts";
import { CommissionStatus, OrderDetailStatus, OrderStatus } from "./statuses.ts";

export interface OrderIds {
  order: number;
  detail: number;
  /** Present when the order ships to an address. */
  snapshot?: number | undefined;
  /** One per commission line; extra ids are simply unused. */
  commissions: number[];
}

/** Everything decided about an order before it has ids (lib/domain/plan.ts gives them). */
export interface NewOrder {
  now: number;
  settings: Settings;
  userId: number;
  commOrderId: number;
  goodsId: number;
  skuId: number;
  /** The catalogue price of the product or SKU, kept for reference; the quote is what is charged. */
  cataloguePrice: number;
  unitPrice: number;
  quantity: number;
  amounts: Amounts;
  earnings: Earnings;
  address?: AddressFields | undefined;
  remark: string;
  couponCodeId: number;
  couponId: number;
  fingerprint: string;
}

export interface OrderRecords {
  order: OrderRecord;
  detail: OrderDetailRecord;
  snapshot: OrderAddressRecord | undefined;
  commissions: CommissionRecord[];
}

export function buildOrderRecords(input: NewOrder, ids: OrderIds): OrderRecords {
  const { now, amounts, earnings, userId } = input;
  const number = orderNumber(now, ids.order, input.settings.timezone);
  const autoClose = input.settings.auto_close_minute;
  const order: OrderRecord = {
    id: ids.order,
    created_time: now,
    updated_time: now,
    order_id: number,
    payment_id: "",
    user_id: userId,
    address_id: input.address && ids.snapshot ? ids.snapshot : 0,
    remark: input.remark,
    type: "goods",
    status: OrderStatus.awaitingPayment,
    refund_status: 0,
    ...amounts,
    paid_time: 0,
    end_time: autoClose > 0 ? now + autoClose * 60 : 0,
    deliver_time: 0,
    finished_time: 0,
    ...earnings,
    express_company: "",
    tracking_number: "",
    comm_order_id: input.commOrderId,
    coupon_code_id: input.couponCodeId,
    coupon_id: input.couponId,
    accept_fingerprint: input.fingerprint,
  };
  const detail: OrderDetailRecord = {
    id: ids.detail,
    order_id: number,
    user_id: userId,
    goods_id: input.goodsId,
    goods_item_id: input.skuId,
    price: input.unitPrice,
    origin_price: input.cataloguePrice,
    amount: amounts.amount,
    origin_amount: amounts.origin_amount,
    quantity: input.quantity,
    status: OrderDetailStatus.active,
    created_time: now,
  };
  const snapshot: OrderAddressRecord | undefined =
    input.address && ids.snapshot
      ? { id: ids.snapshot, order_id: number, user_id: userId, ...input.address, created_time: now }
      : undefined;
  const commissions = commissionLines(earnings).map(
    (line, index): CommissionRecord => ({
      id: ids.commissions[index] ?? 0,
      user_id: line.user_id,
      order_id: number,
      order_amount: amounts.amount,
      amount: line.amount,
      type: line.type,
      status: CommissionStatus.unsettled,
      remark: `${line.type} commission on order ${number}`,
      created_time: now,
    }),
  );
  return { order, detail, snapshot, commissions };
}

/** The response's `data`: every field of the interface document, plus details and the address snapshot. */
export function orderView({ order, details, address }: StoredOrder) {
  const { accept_fingerprint: _, ...visible } = order;
  return { ...visible, details, order_address: address ?? null };
}
export type OrderView = ReturnType<typeof orderView>;
