// Rule 5 (docs/accept.md): the address snapshot, new addresses and saved ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { aliceHome } from "./support/fixtures.ts";
import { assertRefused, openShop } from "./support/shop.ts";

test("no address: address_id 0 and no snapshot", async () => {
  const shop = await openShop();
  const answer = await shop.accept({ comm_order_id: 7 });
  assert.equal(answer.data.address_id, 0);
  assert.equal(answer.data.order_address, null);
  assert.equal((await shop.counts()).OrderAddress, 0);
});

test("a new address is snapshotted and saved to the address book", async () => {
  const shop = await openShop();
  const answer = await shop.accept({
    comm_order_id: 7,
    address: { ...aliceHome, name: " Alice ", email: "a@example.com" },
  });
  assert.equal(answer.code, 0, answer.msg);
  const [snapshot] = await shop.ofEntity("OrderAddress");
  assert.equal(answer.data.address_id, snapshot?.id);
  assert.equal(snapshot?.order_id, answer.data.order_id);
  assert.equal(snapshot?.user_id, 1000);
  assert.equal(snapshot?.name, "Alice", "strings are trimmed");
  assert.equal(snapshot?.email, "a@example.com");
  assert.equal(snapshot?.company, "");
  assert.deepEqual(
    answer.data.order_address,
    Object.fromEntries(Object.entries(snapshot ?? {}).filter(([k]) => !["pk", "sk", "entity"].includes(k))),
  );
  const book = (await shop.ofEntity("Address")).filter((address) => address.user_id === 1000);
  assert.equal(book.length, 1);
  assert.equal(book[0]?.address_info, "1 Keyuan Road");
  assert.notEqual(book[0]?.id, 1, "new ids start past the fixture's address ids");
});

test("a new address needs every required field", async () => {
  const shop = await openShop();
  for (const field of ["name", "phone", "province", "city", "country", "address_info", "postcode"]) {
    await assertRefused(
      shop,
      { comm_order_id: 7, address: { ...aliceHome, [field]: "  " } },
      { msg: `address.${field} is required` },
    );
  }
  await assertRefused(
    shop,
    { comm_order_id: 7, address: { ...aliceHome, phone: "1".repeat(21) } },
    { msg: "address.phone must be at most 20 characters" },
  );
});

test("a saved address must be the caller's; sent fields override it for this order only", async () => {
  const shop = await openShop();
  await assertRefused(shop, { comm_order_id: 7, address: { id: 1 } }, { msg: "address not found" }); // bob's address, alice asks
  await assertRefused(
    shop,
    { comm_order_id: 8, address: { id: 77 } },
    { msg: "address not found" },
    { userId: 1001 },
  );

  // "" is not sent (rule 5, docs/accept.md), so it overrides nothing: the saved name and company stay.
  const answer = await shop.accept(
    { comm_order_id: 8, address: { id: 1, phone: "13911112222", name: "", company: "" } },
    { userId: 1001 },
  );
  assert.equal(answer.code, 0, answer.msg);
  assert.equal(answer.data.order_address?.phone, "13911112222");
  assert.equal(answer.data.order_address?.name, "Bob");
  assert.equal(answer.data.order_address?.address_info, "18 Longjing Road");
  assert.equal(answer.data.order_address?.company, "Li Tea House");
  const saved = (await shop.ofEntity("Address")).find((address) => address.id === 1);
  assert.equal(saved?.phone, "13900000001", "the address book is unchanged");
  assert.equal((await shop.ofEntity("Address")).length, 1, "a saved address is not saved again");
  // The same request without the empty fields is the same request, and means the same address.
  const retry = await shop.accept(
    { comm_order_id: 8, address: { id: 1, phone: "13911112222" } },
    { userId: 1001 },
  );
  assert.deepEqual(retry.data, answer.data, "replayed");
});
