// The terms of an accept: what the customer asked for, in the domain's own words. The request schema
// (lib/accept/request.ts) produces them from a body; the rules read them, never the body.
import type { AddressField } from "./address.ts";

/** The address as sent: a saved one's id (0 or absent: a new address) and any fields, trimmed. */
export type AddressTerms = { id?: number | null | undefined } & {
  [field in AddressField]?: string | null | undefined;
};

export interface AcceptTerms {
  commOrderId?: number | undefined;
  goodsId?: number | undefined;
  /** 0 or absent in the request is 1 here. */
  quantity: number;
  /** 0: no SKU. */
  skuId: number;
  /** undefined: use the quotation's title. */
  remark?: string | undefined;
  couponCode?: string | undefined;
  couponCodeId?: number | undefined;
  couponId?: number | undefined;
  address?: AddressTerms | undefined;
}

/** What "the same request" is judged on (lib/domain/fingerprint.ts): the terms, with the quotation's
 * product however the request named it (goods_id, details or comm_order_id). */
export type SentTerms = Omit<AcceptTerms, "commOrderId" | "goodsId"> & { goodsId: number };
