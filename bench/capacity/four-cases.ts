// The four accepts whose capacity BENCHMARKS.md states, each by the real handler on DynamoDB Local, one
// at a time on one warm container (Settings cached, as on a busy Lambda): a plain accept by goods_id; one
// with a promoter chain and a voucher by coupon_code; one with a limited campaign coupon; and a sold-out
// refusal once the coupon is flagged sold out. Every buyer is new (a campaign coupon is once per user,
// and an accept by goods_id wants exactly one quotation of the product), so samples are alike.
import { HOLD_SECONDS } from "../../lib/domain/coupon-stock.ts";
import { readCoupon } from "../../lib/store/reads.ts";
import { demoWith } from "../../tests/support/fixtures.ts";
import { coupon, quotation, voucher } from "../../tests/support/rows.ts";
import { openShop } from "../../tests/support/shop.ts";
import { capacityMeter, type Tally } from "./meter.ts";

const GOODS = 205;
/** Carol: a retailer in group 2 whose parent is dave, so her referrals pay a promoter and a parent. */
const PROMOTER = 1002;
const CAMPAIGN = 90;
/** Limited to one unit: the first sale sells it out. */
const SOLD_OUT = 91;

const buyers = { plain: 30_000, promoted: 31_000, campaign: 32_000, soldOut: 33_000 } as const;
type Kind = keyof typeof buyers;

/** The demo shop plus `count` buyers of each kind, each with one quotation of product 205 at 99.00. */
function fixture(count: number) {
  const users = [];
  const quotations = [];
  const vouchers = [];
  for (const [kind, first] of Object.entries(buyers) as [Kind, number][]) {
    for (let i = 0; i < count; i++) {
      const id = first + i;
      const parent = kind === "promoted" ? PROMOTER : 0;
      users.push({ id, user_name: `${kind}${i}`, group_id: 1, parent_id: parent, is_retailer: 0, status: 1 });
      quotations.push(quotation({ id: id + 100_000, user_id: id, archive_id: GOODS, quote_price: "99.00" }));
      // The demo's voucher coupon 1: 10.00 off orders over 50.00, one voucher per buyer.
      if (kind === "promoted") vouchers.push(voucher({ id, coupon_id: 1, code: "WELCOME10", user_id: id }));
    }
  }
  return demoWith({
    users,
    comm_orders: quotations,
    coupon_codes: vouchers,
    coupons: [
      coupon({ id: CAMPAIGN, title: "Campaign", amount: 500, total: 100_000 }),
      coupon({ id: SOLD_OUT, title: "Sold out", amount: 500, total: 1 }),
    ],
  });
}

const bodies: Record<Kind, Record<string, unknown>> = {
  plain: { goods_id: GOODS },
  promoted: { goods_id: GOODS, coupon_code: "WELCOME10" },
  campaign: { goods_id: GOODS, coupon_id: CAMPAIGN },
  soldOut: { goods_id: GOODS, coupon_id: SOLD_OUT },
};

export interface CaseResult {
  name: string;
  /** One tally per sample, in order. */
  samples: Tally[];
  /** The answer code every sample got. */
  code: number;
}

/** Runs `samples` accepts of each case (plus the unmeasured ones that set them up); DYNAMODB_ENDPOINT set. */
export async function fourCases(endpoint: string, samples: number) {
  const meter = capacityMeter(endpoint, { exactWrites: true });
  let skew = 0; // seconds added to the handler's clock
  const shop = await openShop(fixture(samples + 2), {
    configure: meter.configure,
    now: () => Math.floor(Date.now() / 1000) + skew,
    settingsTtlSeconds: 3_600,
  });
  const used = { plain: 0, promoted: 0, campaign: 0, soldOut: 0 };
  const accept = async (kind: Kind) => {
    const userId = buyers[kind] + used[kind]++;
    return meter.measure(() => shop.accept(bodies[kind], { userId }));
  };
  const expect = (answer: { code: number; msg: string }, code: number, what: string) => {
    if (answer.code !== code) throw new Error(`${what}: code ${answer.code} ${answer.msg}, expected ${code}`);
  };
  const measured = async (name: string, kind: Kind, code: number): Promise<CaseResult> => {
    const tallies: Tally[] = [];
    for (let i = 0; i < samples; i++) {
      const { result, tally } = await accept(kind);
      expect(result, code, `${name}, sample ${i + 1}`);
      tallies.push(tally);
    }
    return { name, samples: tallies, code };
  };

  // The container's first accept reads Settings (then cached): not counted.
  expect((await accept("plain")).result, 0, "warm-up");
  const plain = await measured("a. plain accept by goods_id", "plain", 0);
  const promoted = await measured("b. promoter chain + voucher by coupon_code", "promoted", 0);
  const campaign = await measured("c. limited campaign coupon by coupon_id", "campaign", 0);

  // d. The one unit sold; past HOLD_SECONDS nothing can come back, so the next refusal flags the coupon.
  expect((await accept("soldOut")).result, 0, "selling coupon 91's one unit");
  skew += HOLD_SECONDS + 1;
  const flagging = await accept("soldOut");
  expect(flagging.result, -1, "the refusal that flags coupon 91");
  const flagged = await readCoupon({ doc: shop.doc, table: shop.table }, SOLD_OUT);
  if (flagged?.sold_out_total !== 1) throw new Error(`coupon 91 was not flagged: ${JSON.stringify(flagged)}`);
  const soldOut = await measured("d. sold-out refusal, coupon flagged", "soldOut", -1);

  meter.destroy();
  return {
    plain,
    promoted,
    campaign,
    soldOut,
    flagging: { name: "d′. the refusal that flags it (once)", samples: [flagging.tally], code: -1 },
  };
}
