// 简体中文（默认语言）。Written as a Chinese shop writes to its customers, not word for word from
// the English; placeholders and field names as in en-US.ts.
import type { MessageKey } from "./en-US.ts";

export const zhCN: Record<MessageKey, string> = {
  "auth.not_logged_in": "该操作需要登录，请登录后重试",
  "auth.cross_site":
    "该操作需要登录：Cookie 中的登录凭证仅在本站页面发起的请求中有效（或请在 token 请求头中发送）",
  "auth.not_allowed": "您的账号暂无下单权限",

  "body.too_large": "请求内容不能超过 {max} KiB",
  "body.not_object": "请求内容须为 JSON 对象",
  "body.too_deep": "请求内容嵌套过深：[ 和 { 最多嵌套 {max} 层",
  "body.forbidden_key": "请求内容不能使用键名 {key}",

  "field.int_range": "{field} 须为 {min} 到 {max} 之间的整数",
  "field.positive_integer": "{field} 须为正整数",
  "field.non_negative_integer": "{field} 须为非负整数",
  "field.not_string": "{field} 须为字符串",
  "field.too_long": "{field} 不能超过 {max} 个字符",
  "field.not_unicode": "{field} 含有无法识别的字符（不完整的 Unicode 编码）",
  "field.required": "请填写 {field}",

  "request.invalid": "请求参数有误",
  "request.no_target": "请提供 comm_order_id、goods_id 或 details",
  "request.address_not_object": "address 须为对象",
  "request.details_not_list": "details 须为数组",
  "request.details_line_not_object": "details 的每一项须为含 goods_id、quantity 的对象",
  "request.details_one_line": "details 只能包含一项：一份报价只对应一种商品",
  "request.type_vip": "type 为 vip 时不能接受报价，报价只能生成商品订单",
  "request.type_not_goods": "type 须为 goods",

  "quotation.not_found": "报价单不存在",
  "quotation.none_for_goods": "goods_id {goods_id} 暂无待您确认的报价",
  "quotation.several_for_goods": "该商品有多份待确认的报价，请提供 comm_order_id",
  "quotation.not_quoted": "商家尚未报价，请耐心等待",
  "quotation.already_accepted": "该报价已接受，无需重复操作",
  "quotation.accepted_differently": "该报价已接受，本次提交的内容与原订单不一致",
  "quotation.closed": "该报价已关闭",
  "quotation.expired": "报价已过期，请联系商家重新报价",
  "quotation.no_valid_price": "报价金额有误，请联系商家",
  "quotation.price_changed": "报价金额刚刚有变动，请确认新价格后重新接受",
  "quotation.changed": "报价刚刚有变动，请重试",

  "goods.not_of_quotation": "goods_id 与该报价的商品不符",
  "goods.unavailable": "商品不存在或已下架",
  "goods.sku_not_of_goods": "goods_sku_id 不是该商品的规格",

  "order.amount_too_large": "订单金额过大",
  "order.not_placed": "下单失败，请重试",

  "address.not_found": "收货地址不存在",

  "voucher.not_found": "{field} 对应的优惠券不存在",
  "voucher.mismatch": "coupon_code 与 coupon_code_id 不是同一张优惠券",
  "voucher.other_coupon": "coupon_id 与优惠码不符，每笔订单只能使用一张优惠券",
  "voucher.used": "{field} 对应的优惠码已使用",
  "voucher.void": "{field} 对应的优惠码已失效",
  "voucher.expired": "{field} 对应的优惠码已过期",

  "coupon.not_found": "优惠券不存在",
  "coupon.inactive": "该优惠券已停用",
  "coupon.not_started": "该优惠券尚未到使用时间",
  "coupon.expired": "该优惠券已过期",
  "coupon.unusable": "该优惠券暂不可用",
  "coupon.no_discount": "该优惠券对这笔订单没有优惠",
  "coupon.not_for_goods": "该优惠券不适用于此商品",
  "coupon.min_amount": "订单金额满 {min_amount} 元才能使用该优惠券",
  "coupon.used_by_account": "您已使用过该优惠券",
  "coupon.sold_out": "该优惠券已领完",

  "service.busy": "系统繁忙，请稍后再试",
};
