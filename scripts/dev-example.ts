// What npm run dev's banner offers to try, chosen from the fixture it loaded: a token for a user that
// exists there, and a request the rules would accept, judged by lib/domain's own checks (buyer,
// quotation, product, price), so that "code 0" is only printed when it is true. The interface
// document's example comes first when the fixture holds it, as the demo does.
import * as v from "valibot";
import { assertBuyer } from "../lib/domain/buyer.ts";
import type { CommOrder, Goods, User } from "../lib/domain/entities.ts";
import { orderable } from "../lib/domain/goods.ts";
import { assertQuotationOpen, chooseQuotation, quotePriceCents } from "../lib/domain/quotation.ts";
import { QuotationStatus, UserStatus } from "../lib/domain/statuses.ts";
import type { FixtureItem } from "../lib/store/fixture.ts";
import { type Entity, model } from "../lib/store/model.ts";

/** The interface document's request: user 1000 accepts their quotation for product 188 by goods_id. */
export const INTERFACE_EXAMPLE = {
  userId: 1000,
  body: { goods_id: 188, quantity: 1, type: "goods", remark: "定制商品订单" },
};

export interface DevExample {
  user: Pick<User, "id" | "user_name">;
  /** A body answered with code 0 and an order on the fixture as loaded; absent when none would be. */
  accept?: { body: Record<string, unknown>; quotation: CommOrder; interfaceExample: boolean };
}

const rows = <S extends v.GenericSchema>(items: FixtureItem[], of: Entity<S>): v.InferOutput<S>[] =>
  items.filter((item) => item.entity === of.name).map((item) => v.parse(of.schema, item));

/** Whether the accept's rules let `quotation` become an order now (no coupon, no address, no SKU). */
function buyerIfAcceptable(
  quotation: CommOrder,
  users: User[],
  goods: Goods[],
  now: number,
): User | undefined {
  try {
    const buyer = users.find((user) => user.id === quotation.user_id);
    assertBuyer(buyer);
    assertQuotationOpen(quotation, now);
    quotePriceCents(quotation);
    orderable(
      goods.find((product) => product.id === quotation.archive_id),
      0,
    );
    return buyer;
  } catch {
    return undefined;
  }
}

/** The banner's user and request for `items` (a parsed fixture); undefined when it holds no user. */
export function devExample(items: FixtureItem[], now: number): DevExample | undefined {
  const users = rows(items, model.user);
  const goods = rows(items, model.goods);
  const quotations = rows(items, model.commOrder);
  const acceptable = quotations.flatMap((quotation) => {
    const buyer = buyerIfAcceptable(quotation, users, goods, now);
    return buyer ? [{ quotation, buyer }] : [];
  });

  // The interface example names no quotation: the buyer's one quoted for the product is taken.
  const { userId, body } = INTERFACE_EXAMPLE;
  const live = quotations.filter(
    (quotation) =>
      quotation.user_id === userId &&
      quotation.archive_id === body.goods_id &&
      [QuotationStatus.quoted, QuotationStatus.accepted].some((status) => status === quotation.status),
  );
  let chosen: CommOrder | undefined;
  try {
    chosen = chooseQuotation(live, body.goods_id);
  } catch {
    chosen = undefined;
  }
  const example = acceptable.find(({ quotation }) => quotation === chosen);
  if (example)
    return { user: example.buyer, accept: { body, quotation: example.quotation, interfaceExample: true } };
  const [first] = acceptable;
  if (first) {
    const accept = {
      body: { comm_order_id: first.quotation.id },
      quotation: first.quotation,
      interfaceExample: false,
    };
    return { user: first.buyer, accept };
  }
  const user =
    users.find((candidate) => candidate.id === userId) ??
    users.find((candidate) => candidate.status === UserStatus.active) ??
    users[0];
  return user ? { user } : undefined;
}
