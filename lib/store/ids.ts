// Address-book ids from one atomic counter, reserved in blocks per container. Only a new address takes
// one (a rare request); order ids need no counter (lib/domain/order-number.ts), so a burst of new
// containers writes no shared item. Ids are unique and increasing; a container's unused block is a gap.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type Db, sendOptions } from "./db.ts";
import { keys } from "./keys.ts";
import { model } from "./model.ts";

export class AddressIds {
  #next = 0;
  #last = -1;
  #refill: Promise<void> | undefined;
  readonly #blockSize: number;

  constructor(blockSize: number) {
    this.#blockSize = blockSize;
  }

  /** Reserves a block when none is left, so that `take` will not wait; concurrent callers share one. */
  async prepare(db: Db): Promise<void> {
    if (this.#next > this.#last) await this.#refilled(db);
  }

  async take(db: Db): Promise<number> {
    for (;;) {
      if (this.#next <= this.#last) return this.#next++;
      await this.#refilled(db);
    }
  }

  #refilled(db: Db): Promise<void> {
    this.#refill ??= this.#reserve(db).finally(() => {
      this.#refill = undefined;
    });
    return this.#refill;
  }

  async #reserve(db: Db): Promise<void> {
    const { Attributes } = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.counter("address"),
        UpdateExpression: "ADD #value :size SET entity = :entity",
        ExpressionAttributeNames: { "#value": "value" },
        ExpressionAttributeValues: { ":size": this.#blockSize, ":entity": model.addressCounter.name },
        ReturnValues: "UPDATED_NEW",
      }),
      sendOptions(db),
    );
    this.#last = Number(Attributes?.value);
    this.#next = this.#last - this.#blockSize + 1;
  }
}
