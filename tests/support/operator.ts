// Edits to stored items made outside the service, the way an operator, an import or a migration would.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Shop } from "./shop.ts";

/** Runs `expression` on the item at `key`; `#s` and `#t` stand for the reserved words status and total. */
export async function update(shop: Shop, key: object, expression: string, values?: Record<string, unknown>) {
  await shop.doc.send(
    new UpdateCommand({
      TableName: shop.table,
      Key: key,
      UpdateExpression: expression,
      ...(/#s\b|#t\b/.test(expression)
        ? {
            ExpressionAttributeNames: {
              ...(expression.includes("#s") ? { "#s": "status" } : {}),
              ...(expression.includes("#t") ? { "#t": "total" } : {}),
            },
          }
        : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    }),
  );
}
