// The answers docs/openapi.json shows: the interface document's own response example (as AnqiCMS
// documents it), completed with the fields this service adds, and one of each refusal and the 503.
// tests/openapi.test.ts checks them against the schema and against what the handler really answers.
import { Code } from "../lib/errors.ts";
import { formatMessage } from "../lib/i18n/messages.ts";

/** AnqiCMS's interface document, "Response Example", verbatim. */
export const INTERFACE_EXAMPLE_ANSWER = {
  code: 0,
  msg: "",
  data: {
    id: 46,
    created_time: 1669212548,
    updated_time: 1669212548,
    order_id: "202211232209080046",
    payment_id: "",
    user_id: 1000,
    address_id: 0,
    remark: "定制商品订单",
    type: "goods",
    status: 0,
    refund_status: 0,
    origin_amount: 9900,
    amount: 9900,
    paid_time: 0,
    end_time: 0,
    deliver_time: 0,
    finished_time: 0,
    discount_amount: 0,
    seller_id: 15,
    seller_amount: 7920,
    share_user_id: 0,
    share_parent_user_id: 0,
    share_amount: 0,
    share_parent_amount: 0,
    express_company: "",
    tracking_number: "",
  },
} as const;

/** The interface example as this service answers it: the same order, with the quotation (7, product 188
 * at 99.00, catalogue price 129.00), no coupon, its one line and no address. */
export function acceptedExample() {
  const { data } = INTERFACE_EXAMPLE_ANSWER;
  return {
    ...INTERFACE_EXAMPLE_ANSWER,
    data: {
      ...data,
      comm_order_id: 7,
      coupon_code_id: 0,
      coupon_id: 0,
      details: [
        {
          id: 46,
          order_id: data.order_id,
          user_id: data.user_id,
          goods_id: 188,
          goods_item_id: 0,
          price: 9900,
          origin_price: 12900,
          amount: 9900,
          origin_amount: 9900,
          quantity: 1,
          status: 1,
          created_time: data.created_time,
        },
      ],
      order_address: null,
    },
  };
}

const en = (key: Parameters<typeof formatMessage>[1], params?: Record<string, string | number>) =>
  formatMessage("en-US", key, params);

/** The 200 answers, one per code (messages as sent with Accept-Language: en-US). */
export function answerExamples() {
  return {
    accepted: {
      summary: "0: the interface document's request, accepted",
      value: acceptedExample(),
    },
    refused: {
      summary: "-1: a field at fault, named",
      value: { code: Code.error, msg: en("field.int_range", { field: "quantity", min: 0, max: 9999 }) },
    },
    notLoggedIn: {
      summary: "1001: no token, or one that is invalid or expired",
      value: { code: Code.notLoggedIn, msg: en("auth.not_logged_in") },
    },
    unauthorised: {
      summary: "1002: the account may not place orders",
      value: { code: Code.unauthorised, msg: en("auth.not_allowed") },
    },
  };
}

/** The function's own 503. */
export const unavailableExample = () => ({
  summary: "503: the platform failed, nothing was written: retry later",
  value: { code: Code.error, msg: en("service.busy") },
});
