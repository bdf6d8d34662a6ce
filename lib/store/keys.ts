// Every key of the single table is built here and nowhere else (key design: docs/data-model.md).

export interface Key {
  pk: string;
  sk: string;
}

const key = (pk: string, sk: string): Key => ({ pk, sk });

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
  couponUse: (couponId: number, userId: number) => key(`COUPON#${couponId}`, `USE#${userId}`),
  /** One sold unit of a limited campaign coupon: a partition of their own, apart from the Coupon item. */
  couponUnit: (couponId: number, unit: number) =>
    key(couponUnitPartition(couponId), `${sortPrefix.couponUnit}${String(unit).padStart(10, "0")}`),
  /** An order and everything written with it share one partition, keyed by the order number. */
  order: (orderNumber: string) => key(`ORDER#${orderNumber}`, "ORDER"),
  orderDetail: (orderNumber: string, id: number) => key(`ORDER#${orderNumber}`, `DETAIL#${id}`),
  orderAddress: (orderNumber: string) => key(`ORDER#${orderNumber}`, "ADDRESS"),
  commission: (orderNumber: string, type: string) => key(`ORDER#${orderNumber}`, `COMMISSION#${type}`),
  counter: (name: string) => key("COUNTER", name),
} as const;

/** Sort-key prefixes for the queries inside a user's partition. */
export const userPartition = (userId: number) => `USER#${userId}`;
export const couponUnitPartition = (couponId: number) => `COUPON#${couponId}#UNITS`;
export const orderPartition = (orderNumber: string) => `ORDER#${orderNumber}`;
export const sortPrefix = {
  commOrder: "COMM#",
  couponCode: "VOUCHER#",
  couponUse: "USE#",
  couponUnit: "UNIT#",
} as const;
