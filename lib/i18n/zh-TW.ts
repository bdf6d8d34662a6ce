// 繁體中文（台灣用語）。Taiwan's own words where they differ (登入、帳號、訂單、優惠券、物件、字串、
// 陣列), not a character-by-character conversion of zh-CN.ts; placeholders and field names as in en-US.ts.
import type { MessageKey } from "./en-US.ts";

export const zhTW: Record<MessageKey, string> = {
  "auth.not_logged_in": "此操作需要登入，請登入後再試",
  "auth.cross_site":
    "此操作需要登入：Cookie 中的登入憑證僅在本站頁面發出的請求中有效（或請於 token 標頭中傳送）",
  "auth.not_allowed": "您的帳號目前無法下單",

  "body.too_large": "請求內容不可超過 {max} KiB",
  "body.not_object": "請求內容須為 JSON 物件",
  "body.too_deep": "請求內容巢狀過深：[ 和 { 最多巢狀 {max} 層",
  "body.forbidden_key": "請求內容不可使用鍵名 {key}",

  "field.int_range": "{field} 須為 {min} 到 {max} 之間的整數",
  "field.positive_integer": "{field} 須為正整數",
  "field.non_negative_integer": "{field} 須為非負整數",
  "field.not_string": "{field} 須為字串",
  "field.too_long": "{field} 不可超過 {max} 個字元",
  "field.not_unicode": "{field} 含有無法辨識的字元（不完整的 Unicode 編碼）",
  "field.required": "請填寫 {field}",

  "request.invalid": "請求參數有誤",
  "request.no_target": "請提供 comm_order_id、goods_id 或 details",
  "request.address_not_object": "address 須為物件",
  "request.details_not_list": "details 須為陣列",
  "request.details_line_not_object": "details 的每一項須為含 goods_id、quantity 的物件",
  "request.details_one_line": "details 只能包含一項：一份報價只對應一項商品",
  "request.type_vip": "type 為 vip 時無法接受報價，報價只能成立商品訂單",
  "request.type_not_goods": "type 須為 goods",

  "quotation.not_found": "找不到報價單",
  "quotation.none_for_goods": "goods_id {goods_id} 目前沒有待您確認的報價",
  "quotation.several_for_goods": "此商品有多筆待確認的報價，請提供 comm_order_id",
  "quotation.not_quoted": "商家尚未報價，請耐心等候",
  "quotation.already_accepted": "此報價已接受，無需重複操作",
  "quotation.accepted_differently": "此報價已接受，本次送出的內容與原訂單不一致",
  "quotation.closed": "此報價已關閉",
  "quotation.expired": "報價已逾期，請聯絡商家重新報價",
  "quotation.no_valid_price": "報價金額有誤，請聯絡商家",
  "quotation.price_changed": "報價金額剛剛有異動，請確認新價格後重新接受",
  "quotation.changed": "報價剛剛有異動，請再試一次",

  "goods.not_of_quotation": "goods_id 與此報價的商品不符",
  "goods.unavailable": "商品不存在或已下架",
  "goods.sku_not_of_goods": "goods_sku_id 不是此商品的規格",

  "order.amount_too_large": "訂單金額過大",
  "order.not_placed": "下單失敗，請再試一次",

  "address.not_found": "找不到收件地址",

  "voucher.not_found": "找不到 {field} 對應的優惠券",
  "voucher.mismatch": "coupon_code 與 coupon_code_id 不是同一張優惠券",
  "voucher.other_coupon": "coupon_id 與優惠碼不符，每筆訂單只能使用一張優惠券",
  "voucher.used": "{field} 對應的優惠碼已使用過",
  "voucher.void": "{field} 對應的優惠碼已失效",
  "voucher.expired": "{field} 對應的優惠碼已逾期",

  "coupon.not_found": "找不到優惠券",
  "coupon.inactive": "此優惠券已停用",
  "coupon.not_started": "此優惠券尚未開放使用",
  "coupon.expired": "此優惠券已逾期",
  "coupon.unusable": "此優惠券暫時無法使用",
  "coupon.no_discount": "此優惠券對這筆訂單沒有折扣",
  "coupon.not_for_goods": "此優惠券不適用於這項商品",
  "coupon.min_amount": "訂單金額滿 {min_amount} 元才能使用此優惠券",
  "coupon.used_by_account": "您已使用過此優惠券",
  "coupon.sold_out": "此優惠券已兌換完畢",

  "service.busy": "系統忙碌中，請稍後再試",
};
