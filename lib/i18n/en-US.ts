// Every message the service can send, in English. This file defines the keys: the other catalogues are
// typed against it, so a key missing in any language fails the type check. `{name}` is a parameter,
// filled the same way in every language; field names (`goods_id`) stay literal in every language.
// Keys are grouped by what they are about: auth, body, field (any request field), request, quotation,
// goods, order, address, voucher (a coupon code), coupon, service.
export const enUS = {
  "auth.not_logged_in": "not logged in",
  "auth.cross_site":
    "not logged in: a token in a cookie is accepted only from the shop's own pages (or send it in the token header)",
  "auth.not_allowed": "this account may not place orders",

  "body.too_large": "the request body must be at most {max} KiB",
  "body.not_object": "the request body must be a JSON object",
  "body.too_deep": "the request body is nested too deeply: at most {max} levels of [ and {",
  "body.forbidden_key": "the request body must not use the key {key}",

  "field.int_range": "{field} must be an integer from {min} to {max}",
  "field.positive_integer": "{field} must be a positive integer",
  "field.non_negative_integer": "{field} must be a non-negative integer",
  "field.not_string": "{field} must be a string",
  "field.too_long": "{field} must be at most {max} characters",
  "field.not_unicode": "{field} must be well-formed Unicode text (no lone surrogates)",
  "field.required": "{field} is required",

  "request.invalid": "the request is invalid",
  "request.no_target": "comm_order_id, goods_id or details is required",
  "request.address_not_object": "address must be an object",
  "request.details_not_list": "details must be a list",
  "request.details_line_not_object": "details must be a list of {goods_id, quantity} objects",
  "request.details_one_line": "details must hold exactly one line: a quotation covers one product",
  "request.type_vip": "type vip cannot accept a quotation: a quotation becomes a goods order",
  "request.type_not_goods": "type must be goods",

  "quotation.not_found": "quotation not found",
  "quotation.none_for_goods": "no quotation awaits you for goods_id {goods_id}",
  "quotation.several_for_goods": "several quotations await you for this product: send comm_order_id",
  "quotation.not_quoted": "quotation has not been quoted yet",
  "quotation.already_accepted": "quotation has already been accepted",
  "quotation.accepted_differently": "quotation has already been accepted with a different request",
  "quotation.closed": "quotation is no longer open",
  "quotation.expired": "quotation expired",
  "quotation.no_valid_price": "quotation has no valid price",
  "quotation.price_changed":
    "the quotation's price changed while accepting: review the new price and accept again",
  "quotation.changed": "the quotation changed while accepting: please try again",

  "goods.not_of_quotation": "goods_id is not the product of this quotation",
  "goods.unavailable": "the product is not found or not on sale",
  "goods.sku_not_of_goods": "goods_sku_id is not a SKU of this product",

  "order.amount_too_large": "the order amount is too large",
  "order.not_placed": "the order could not be placed: please try again",

  "address.not_found": "address not found",

  "voucher.not_found": "{field} not found",
  "voucher.mismatch": "coupon_code and coupon_code_id name different vouchers",
  "voucher.other_coupon": "coupon_id is not the coupon of this voucher: send one coupon per order",
  "voucher.used": "{field} has already been used",
  "voucher.void": "{field} is void",
  "voucher.expired": "{field} has expired",

  "coupon.not_found": "coupon not found",
  "coupon.inactive": "coupon is not active",
  "coupon.not_started": "coupon is not valid yet",
  "coupon.expired": "coupon has expired",
  "coupon.unusable": "coupon is not usable",
  "coupon.no_discount": "coupon gives no discount on this order",
  "coupon.not_for_goods": "coupon does not apply to this product",
  "coupon.min_amount": "coupon needs an order of at least {min_amount}",
  "coupon.used_by_account": "coupon has already been used by this account",
  "coupon.sold_out": "coupon is sold out",

  "service.busy": "the service is busy, please try again shortly",
} as const;

export type MessageKey = keyof typeof enUS;
