// SDK middleware that makes every DynamoDB call of a client ask for its ConsumedCapacity and tallies, per
// accept and in all: calls by command, read units as DynamoDB Local reports them (right for reads), and
// write units counted by DynamoDB's own rules, because DynamoDB Local bills a TransactWriteItems on the
// size of all its items once (six small items: 2 units, where DynamoDB bills 12). Counting writes needs
// each written item as it was before and after the call: a client of its own reads them (not tallied),
// so exact counting is for one accept at a time, never for a race.
import { AsyncLocalStorage } from "node:async_hooks";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { itemBytes, type WireItem, writeUnits } from "./item-size.ts";

/** Reads of one item or one page: each costs at least 1 unit strongly consistent, 0.5 eventually. */
const SINGLE_READS = new Set(["GetItem", "Query", "Scan"]);
const READS = new Set([...SINGLE_READS, "BatchGetItem", "TransactGetItems"]);
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"]);

/** The lookup index (lib/store/keys.ts): keys only projected, so only a change of its keys writes it. */
const INDEX_KEYS = ["lookup_pk", "lookup_sk"] as const;
const TABLE_KEYS = ["pk", "sk"] as const;
/** An index entry's size: its keys, the table's keys and 100 bytes (the Developer Guide's GSI rules). */
const INDEX_ENTRY_OVERHEAD = 100;

export interface Tally {
  calls: Record<string, number>;
  /** Read units, as DynamoDB Local reports them, but never below DynamoDB's minimum for the read. */
  rcu: number;
  /**
   * Write units by DynamoDB's rules: transactional items at 2 per KB each, index entries included (with
   * `exactWrites` only: without it, 0).
   */
  wcu: number;
  /** The part of `wcu` spent on the lookup index. */
  indexWcu: number;
  /** What DynamoDB Local reported for the writes (a transaction billed once, on its total size). */
  reportedWcu: number;
  /** Every item written (key → its largest size, before or after): the floor is these as plain writes. */
  written: Map<string, number>;
  /** Conditional writes refused (each still billed: the existing item's size, at least 1 unit). */
  failedWrites: number;
  /** Each call: command, what it touched, the units counted (reads: reported), for the reader to check. */
  log: string[];
}

export const newTally = (): Tally => ({
  calls: {},
  rcu: 0,
  wcu: 0,
  indexWcu: 0,
  reportedWcu: 0,
  written: new Map(),
  failedWrites: 0,
  log: [],
});

/** Write units of the items written, each once, at its size, as a plain (non-transactional) put. */
export const floorWcu = (tally: Tally): number =>
  [...tally.written.values()].reduce((sum, bytes) => sum + writeUnits(bytes), 0);

type Input = Record<string, unknown>;
interface Target {
  table: string;
  key: WireItem;
}

/** The items a write touches, with the table each is in. */
function targets(command: string, input: Input): Target[] {
  const one = (action: Input): Target => {
    const item = (action.Key ?? action.Item) as WireItem;
    const key: WireItem = {};
    for (const name of TABLE_KEYS) if (item[name]) key[name] = item[name];
    return { table: String(action.TableName), key };
  };
  if (command !== "TransactWriteItems") return [one(input)];
  return (input.TransactItems as Record<string, Input>[]).map((action) =>
    one(Object.values(action)[0] ?? {}),
  );
}

/** What a read asks for: its key, or its partition (and index). */
function readTarget(input: Input): string {
  const key = input.Key as WireItem | undefined;
  if (key) return `${key.pk?.S} / ${key.sk?.S}`;
  const values = input.ExpressionAttributeValues as WireItem | undefined;
  return `${input.IndexName ? `${String(input.IndexName)} index ` : ""}${values?.[":pk"]?.S ?? "?"}`;
}

const keyText = (target: Target) => `${target.key.pk?.S ?? ""} / ${target.key.sk?.S ?? ""}`;

/** Write units the lookup index costs for one item going from `before` to `after` (standard rate). */
function indexUnits(before: WireItem | undefined, after: WireItem | undefined): number {
  const entry = (item: WireItem | undefined) =>
    item && INDEX_KEYS.every((name) => item[name]) ? item : undefined;
  const [was, is] = [entry(before), entry(after)];
  const same = was && is && INDEX_KEYS.every((name) => was[name]?.S === is[name]?.S);
  if (same) return 0; // keys only: a change of other attributes is not written to the index
  const entryUnits = (item: WireItem) => {
    const keys: WireItem = {};
    for (const name of [...TABLE_KEYS, ...INDEX_KEYS]) keys[name] = item[name] as WireItem[string];
    return writeUnits(itemBytes(keys) + INDEX_ENTRY_OVERHEAD);
  };
  // A moved entry is two writes: the old one deleted, the new one put.
  return (was ? entryUnits(was) : 0) + (is ? entryUnits(is) : 0);
}

const consumed = (output: unknown): number => {
  const capacity = (output as { ConsumedCapacity?: unknown } | undefined)?.ConsumedCapacity;
  const list = (Array.isArray(capacity) ? capacity : capacity ? [capacity] : []) as {
    CapacityUnits?: number;
  }[];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
};

export function capacityMeter(endpoint: string, options: { exactWrites: boolean }) {
  const current = new AsyncLocalStorage<Tally>();
  const total = newTally();
  const side = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const image = async (target: Target) =>
    (
      await side.send(
        new GetItemCommand({ TableName: target.table, Key: target.key as never, ConsistentRead: true }),
      )
    ).Item as WireItem | undefined;

  const tallies = () => [total, ...(current.getStore() ? [current.getStore() as Tally] : [])];
  const add = (apply: (tally: Tally) => void) => {
    for (const tally of tallies()) apply(tally);
  };

  function configure(client: DynamoDBClient): void {
    // Before the input is serialised: ask every call for its capacity, the index's share included.
    client.middlewareStack.add(
      (next) => async (args) => {
        (args.input as Input).ReturnConsumedCapacity = "INDEXES";
        return next(args);
      },
      { step: "initialize", name: "benchReturnConsumedCapacity" },
    );
    // After the document client marshalled the input: the items as DynamoDB sizes them.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName).replace(/Command$/, "");
        const input = args.input as Input;
        add((tally) => {
          tally.calls[command] = (tally.calls[command] ?? 0) + 1;
        });
        const exact = options.exactWrites && WRITES.has(command);
        const touched = exact ? targets(command, input) : [];
        const before = await Promise.all(touched.map(image));
        const transactional = command === "TransactWriteItems" ? 2 : 1;
        try {
          const result = await next(args);
          const reported = consumed(result.output);
          const read = READS.has(command);
          // A read that finds nothing still costs DynamoDB the minimum for its kind of read (the Query
          // API reference says so of a Query without results); DynamoDB Local reports 0 for an empty Query.
          const minimum = SINGLE_READS.has(command) ? (input.ConsistentRead ? 1 : 0.5) : 0;
          const units = Math.max(reported, minimum);
          add((tally) => {
            if (read) tally.rcu += units;
            else tally.reportedWcu += units;
          });
          const raised = units > reported ? ` (DynamoDB Local: ${reported})` : "";
          if (read) add((tally) => tally.log.push(`${command} ${readTarget(input)}: ${units} RCU${raised}`));
          const after = await Promise.all(touched.map(image));
          touched.forEach((target, i) => {
            const bytes = Math.max(itemBytes(before[i]), itemBytes(after[i]));
            const index = indexUnits(before[i], after[i]);
            const counted = transactional * writeUnits(bytes) + index;
            add((tally) => {
              tally.wcu += counted;
              tally.indexWcu += index;
              const key = keyText(target);
              tally.written.set(key, Math.max(tally.written.get(key) ?? 0, bytes));
              tally.log.push(
                `${command} ${key} (${bytes} B): ${counted} WCU${index ? `, ${index} of them the index's` : ""}`,
              );
            });
          });
          return result;
        } catch (error) {
          // Refused by its condition: billed on the item as it is, at least 1 unit (the Developer Guide,
          // "conditional writes"). A cancelled transaction, the same per item at 2 units per KB (assumed:
          // none is expected in the cases measured, and the log shows any).
          const name = (error as Error).name;
          if (name === "ConditionalCheckFailedException" || name === "TransactionCanceledException") {
            const units = before.reduce((sum, item) => sum + transactional * writeUnits(itemBytes(item)), 0);
            add((tally) => {
              tally.wcu += units;
              tally.failedWrites += 1;
              tally.log.push(`${command} ${touched.map(keyText).join(", ")}: refused, ${units} WCU`);
            });
          }
          throw error;
        }
      },
      { step: "build", name: "benchCapacityMeter" },
    );
  }

  /** Runs one accept with a tally of its own (also added to the total). */
  async function measure<T>(run: () => Promise<T>): Promise<{ result: T; tally: Tally }> {
    const tally = newTally();
    const result = await current.run(tally, run);
    return { result, tally };
  }

  return { configure, measure, total, destroy: () => side.destroy() };
}
