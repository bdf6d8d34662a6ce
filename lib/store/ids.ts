// Integer ids from atomic counters, reserved in blocks per container. Only address-book entries take
// them now (a new address is rare); order ids need no counter (lib/domain/order-number.ts), so a burst
// of new containers writes no shared counter. Ids are unique and increasing per counter; a container's
// unused block is a gap.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type Db, sendOptions } from "./db.ts";
import { keys } from "./keys.ts";

export type Counter = "order" | "order_detail" | "order_address" | "address" | "commission";

interface Block {
  next: number;
  last: number;
}

export class IdPool {
  readonly #blocks = new Map<Counter, Block>();
  readonly #refills = new Map<Counter, Promise<void>>();
  readonly #blockSize: number;

  constructor(blockSize: number) {
    this.#blockSize = blockSize;
  }

  /** Starts refilling every counter that has fewer than `needs` ids left; resolves when all are ready. */
  async prepare(db: Db, needs: Partial<Record<Counter, number>>): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const [counter, count] of Object.entries(needs) as [Counter, number][]) {
      if (this.#left(counter) < count) pending.push(this.#refill(db, counter));
    }
    await Promise.all(pending);
  }

  async take(db: Db, counter: Counter): Promise<number> {
    for (;;) {
      const block = this.#blocks.get(counter);
      if (block && block.next <= block.last) return block.next++;
      await this.#refill(db, counter);
    }
  }

  #left(counter: Counter): number {
    const block = this.#blocks.get(counter);
    return block ? block.last - block.next + 1 : 0;
  }

  #refill(db: Db, counter: Counter): Promise<void> {
    let refill = this.#refills.get(counter);
    if (!refill) {
      refill = this.#reserve(db, counter).finally(() => this.#refills.delete(counter));
      this.#refills.set(counter, refill);
    }
    return refill;
  }

  async #reserve(db: Db, counter: Counter): Promise<void> {
    const { Attributes } = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.counter(counter),
        UpdateExpression: "ADD #value :size SET entity = :entity",
        ExpressionAttributeNames: { "#value": "value" },
        ExpressionAttributeValues: { ":size": this.#blockSize, ":entity": "Counter" },
        ReturnValues: "UPDATED_NEW",
      }),
      sendOptions(db),
    );
    const last = Number(Attributes?.value);
    this.#blocks.set(counter, { next: last - this.#blockSize + 1, last });
  }
}
