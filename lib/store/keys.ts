// Every key of the single table is built here and nowhere else (key design: docs/data-model.md).
import { QuotationStatus } from "../domain/statuses.ts";

export interface Key {
  pk: string;
  sk: string;
}

const key = (pk: string, sk: string): Key => ({ pk, sk });
/** A ticket's number in a sort key: sorted as numbers. */
const tenDigits = (n: number) => String(n).padStart(10, "0");

export const keys = {
  settings: () => key("SETTINGS", "SETTINGS"),
  userGroup: (id: number) => key(`GROUP#${id}`, "GROUP"),
  user: (id: number) => key(`USER#${id}`, "USER"),
  goods: (id: number) => key(`GOODS#${id}`, "GOODS"),
  /** Quotations live in their owner's partition: reading another user's id simply finds nothing. */
  commOrder: (userId: number, id: number) => key(`USER#${userId}`, `COMM#${id}`),
  address: (userId: number, id: number) => key(`USER#${userId}`, `ADDR#${id}`),
  /** Vouchers live in their owner's partition too. */
  couponCode: (userId: number, id: number) => key(`USER#${userId}`, `VOUCHER#${id}`),
  coupon: (id: number) => key(`COUPON#${id}`, "COUPON"),
  /** A campaign coupon's use, in its user's partition: "once per user" is a put-if-absent there. */
  couponUse: (couponId: number, userId: number) => key(`USER#${userId}`, `COUPONUSE#${couponId}`),
  /** One sold unit of a campaign coupon: a partition of their own, apart from the Coupon item. */
  couponUnit: (couponId: number, unit: number) =>
    key(couponUnitPartition(couponId), `${sortPrefix.couponUnit}${tenDigits(unit)}`),
  /** The coupon's ticket counter: the one item every use of the coupon updates, alone in its partition. */
  couponTickets: (couponId: number) => key(`COUPON#${couponId}#TICKETS`, "TICKETS"),
  /** A held ticket, in a partition of holds only: reading them never reads a sold unit. */
  couponHold: (couponId: number, unit: number) =>
    key(couponHoldPartition(couponId), `${sortPrefix.couponHold}${tenDigits(unit)}`),
  /** An order and everything written with it share one partition, keyed by the order number. */
  order: (orderNumber: string) => key(`ORDER#${orderNumber}`, "ORDER"),
  orderDetail: (orderNumber: string, id: number) => key(`ORDER#${orderNumber}`, `DETAIL#${id}`),
  orderAddress: (orderNumber: string) => key(`ORDER#${orderNumber}`, "ADDRESS"),
  commission: (orderNumber: string, type: string) => key(`ORDER#${orderNumber}`, `COMMISSION#${type}`),
  counter: (name: string) => key("COUNTER", name),
} as const;

/** Partitions, and the sort-key prefixes of the queries inside one. */
export const userPartition = (userId: number) => `USER#${userId}`;
export const couponUnitPartition = (couponId: number) => `COUPON#${couponId}#UNITS`;
export const couponHoldPartition = (couponId: number) => `COUPON#${couponId}#HOLDS`;
export const orderPartition = (orderNumber: string) => `ORDER#${orderNumber}`;
export const sortPrefix = {
  couponUnit: "UNIT#",
  couponHold: "HOLD#",
} as const;

/**
 * The `lookup` index (docs/data-model.md, "The lookup index"): a sparse global secondary index whose keys
 * name what the accept finds without an id, so that the read is bounded whatever else the customer holds.
 * Quotations are in it only while quoted (2) or accepted (3), under keys naming product and status;
 * vouchers under keys naming their code. Keys only are projected: every entry is read again by its key.
 */
export const lookupIndex = { name: "lookup", pk: "lookup_pk", sk: "lookup_sk" } as const;

export interface LookupKey {
  lookup_pk: string;
  lookup_sk: string;
}

/** Unix seconds as sortable text: accepted quotations list newest first. */
const sortableTime = (seconds: number) => String(seconds).padStart(12, "0");

export const lookupPartition = {
  quoted: (userId: number, goodsId: number) => `USER#${userId}#QUOTED#GOODS#${goodsId}`,
  accepted: (userId: number, goodsId: number) => `USER#${userId}#ACCEPTED#GOODS#${goodsId}`,
  /** The code comes last, so that whatever it holds (`#` included) cannot reach into another key. */
  vouchers: (userId: number, code: string) => `USER#${userId}#CODE#${code}`,
} as const;

/** Entries of the lookup index, each in its partition of `lookupPartition`. */
export const lookupKeys = {
  quoted: (userId: number, goodsId: number, id: number): LookupKey => ({
    lookup_pk: lookupPartition.quoted(userId, goodsId),
    lookup_sk: keys.commOrder(userId, id).sk,
  }),
  /** Newest first when read backwards: the time of acceptance leads the sort key. */
  accepted: (userId: number, goodsId: number, id: number, acceptedTime: number): LookupKey => ({
    lookup_pk: lookupPartition.accepted(userId, goodsId),
    lookup_sk: `${sortableTime(acceptedTime)}#${keys.commOrder(userId, id).sk}`,
  }),
  /** By owner and code, whatever the voucher's status; in the order of the vouchers' own keys. */
  voucher: (userId: number, id: number, code: string): LookupKey => ({
    lookup_pk: lookupPartition.vouchers(userId, code),
    lookup_sk: keys.couponCode(userId, id).sk,
  }),
} as const;

/** A quotation's place in the lookup index, by its status: none unless quoted or accepted. */
export function quotationLookup(quotation: {
  user_id: number;
  id: number;
  archive_id: number;
  status: number;
  accepted_time: number;
}): LookupKey | undefined {
  const { user_id, id, archive_id } = quotation;
  if (quotation.status === QuotationStatus.quoted) return lookupKeys.quoted(user_id, archive_id, id);
  if (quotation.status === QuotationStatus.accepted) {
    return lookupKeys.accepted(user_id, archive_id, id, quotation.accepted_time);
  }
  return undefined;
}

export const voucherLookup = (voucher: { user_id: number; id: number; code: string }) =>
  lookupKeys.voucher(voucher.user_id, voucher.id, voucher.code);
