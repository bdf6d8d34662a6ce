// The quotation's product (rule 4, docs/accept.md): on sale, and the SKU asked for one of its own.
import { Refusal } from "../errors.ts";
import type { Goods } from "./entities.ts";
import { GoodsStatus } from "./statuses.ts";

/**
 * The product to order, and its catalogue price (the SKU's, else the product's), which the order keeps
 * for reference: the quote is what is charged. `skuId` 0 is no SKU.
 */
export function orderable(goods: Goods | undefined, skuId: number): { goods: Goods; cataloguePrice: number } {
  if (goods?.status !== GoodsStatus.published) throw new Refusal("goods.unavailable");
  if (skuId === 0) return { goods, cataloguePrice: goods.price };
  const sku = goods.skus.find((candidate) => candidate.id === skuId);
  if (!sku) throw new Refusal("goods.sku_not_of_goods");
  return { goods, cataloguePrice: sku.price };
}
