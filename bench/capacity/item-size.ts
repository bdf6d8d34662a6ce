// DynamoDB's item-size rules ("DynamoDB item sizes and formats", the Developer Guide), on items as the wire
// carries them (AttributeValues): what a write is billed on. DynamoDB Local bills a TransactWriteItems on
// the size of all its items together, once; the bench counts each item itself with these rules.

/** An AttributeValue as the low-level client sends it; exactly one member is set. */
export interface Wire {
  S?: string;
  N?: string;
  B?: Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  L?: Wire[];
  M?: Record<string, Wire>;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
}
export type WireItem = Record<string, Wire>;

const utf8 = (text: string) => Buffer.byteLength(text, "utf8");

/** A number: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
function numberBytes(text: string): number {
  const digits = text
    .replace(/^[-+]/, "")
    .replace(/e.*$/i, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
  return Math.ceil(digits.length / 2) + 1;
}

/** A value's bytes, its attribute name aside. List and Map: 3 bytes, plus 1 per element. */
export function valueBytes(value: Wire): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L) return 3 + value.L.reduce((sum, element) => sum + 1 + valueBytes(element), 0);
  if (value.M) {
    return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueBytes(v), 0);
  }
  if (value.SS) return value.SS.reduce((sum, element) => sum + utf8(element), 0);
  if (value.NS) return value.NS.reduce((sum, element) => sum + numberBytes(element), 0);
  if (value.BS) return value.BS.reduce((sum, element) => sum + element.byteLength, 0);
  throw new Error(`unknown AttributeValue ${JSON.stringify(value)}`);
}

/** An item's size: the sum of its attribute names' and values' bytes. */
export const itemBytes = (item: WireItem | undefined): number =>
  Object.entries(item ?? {}).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

/** Write units of a plain write of `bytes`: 1 per KB started (at least 1). */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));
