// What makes two accept requests "the same request" (spec §8): an identical re-accept replays the order.
import { createHash } from "node:crypto";
import type { AddressInput } from "../accept/request.ts";
import { ADDRESS_FIELDS } from "./address.ts";

export interface FingerprintParts {
  goodsId: number;
  quantity: number;
  skuId: number;
  remark: string;
  couponCode?: string | undefined;
  couponCodeId?: number | undefined;
  couponId?: number | undefined;
  address?: AddressInput | undefined;
}

export function acceptFingerprint(parts: FingerprintParts): string {
  // A fixed-order array, so the hash never depends on key order.
  const canonical = [
    parts.goodsId,
    parts.quantity,
    parts.skuId,
    parts.remark,
    parts.couponCode ?? "",
    parts.couponCodeId ?? 0,
    parts.couponId ?? 0,
    parts.address
      ? [parts.address.id ?? 0, ...ADDRESS_FIELDS.map((field) => parts.address?.[field] ?? null)]
      : null,
  ];
  return createHash("sha256").update(JSON.stringify(canonical)).digest("base64url");
}
