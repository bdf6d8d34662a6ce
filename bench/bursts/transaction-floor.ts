// How many accept-sized transactions DynamoDB Local itself commits per second on this machine, whatever
// the product does: rounds of six-item TransactWriteItems (`items`: a campaign sale now writes seven) from
// one client and from many at once. If many clients commit no faster than one, DynamoDB Local serialises
// transactions, and a burst's floor is its transactions divided by this rate.
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../lib/store/client.ts";
import { ensureTable } from "../../lib/store/table.ts";

const ITEMS = 6;

export interface FloorRound {
  clients: number;
  transactions: number;
  seconds: number;
  perSecond: number;
  /** Transactions this DynamoDB Local had committed before the round. */
  before: number;
}

export async function transactionFloor(
  endpoint: string,
  options: { transactions: number; rounds: { clients: number }[]; items?: number },
): Promise<FloorRound[]> {
  const { items = ITEMS } = options;
  const doc = createDocumentClient({ endpoint });
  const table = `bench-floor-${Date.now()}`;
  await ensureTable(doc, table);
  const results: FloorRound[] = [];
  let committed = 0;
  for (const [round, { clients }] of options.rounds.entries()) {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < options.transactions) {
          const id = next++;
          await doc.send(
            new TransactWriteCommand({
              TransactItems: Array.from({ length: items }, (_, item) => ({
                Put: {
                  TableName: table,
                  Item: { pk: `R${round}#${id}`, sk: `I${item}`, note: "x".repeat(200) },
                },
              })),
            }),
          );
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results.push({
      clients,
      transactions: options.transactions,
      seconds,
      perSecond: options.transactions / seconds,
      before: committed,
    });
    committed += options.transactions;
  }
  doc.destroy();
  return results;
}
