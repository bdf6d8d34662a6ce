// The merchant's side of a quotation, acting through its own DynamoDB client (another process, in
// production: the AnqiCMS admin), so that tests can change a quotation while an accept is in flight.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../../lib/store/client.ts";
import { keys } from "../../lib/store/keys.ts";

export function merchant(table: string) {
  const doc = createDocumentClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const update = (userId: number, id: number, values: Record<string, unknown>) => {
    const fields = Object.keys(values);
    return doc.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.commOrder(userId, id),
        UpdateExpression: `SET ${fields.map((_, index) => `#f${index} = :v${index}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map((field, index) => [`#f${index}`, field])),
        ExpressionAttributeValues: Object.fromEntries(
          fields.map((field, index) => [`:v${index}`, values[field]]),
        ),
        ConditionExpression: "attribute_exists(pk)",
      }),
    );
  };
  return {
    /** Quotes a new price, as the merchant re-quoting does (status stays 2). */
    requote: (userId: number, id: number, price: string) =>
      update(userId, id, { quote_price: price, updated_time: Math.floor(Date.now() / 1000) }),
    cancel: (userId: number, id: number) =>
      update(userId, id, { status: -1, updated_time: Math.floor(Date.now() / 1000) }),
  };
}
