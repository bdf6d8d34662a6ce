// The address an order ships to: its fields and their limits (declared here once: the request schema,
// the stored schemas, the snapshot and the OpenAPI document derive from them), and how a new one, or a
// saved one with the request's fields on top, becomes the order's snapshot (rule 5, docs/accept.md).
import { Refusal } from "../errors.ts";
import type { Address } from "./entities.ts";
import type { AddressTerms } from "./terms.ts";

/** Each field's length limit in characters (code points), as AnqiCMS's columns hold them. */
export const ADDRESS_LIMITS = {
  name: 64,
  last_name: 64,
  phone: 20,
  email: 100,
  province: 100,
  city: 100,
  town: 100,
  country: 100,
  address_info: 255,
  company: 250,
  postcode: 36,
} as const;

export type AddressField = keyof typeof ADDRESS_LIMITS;
export const ADDRESS_FIELDS = Object.keys(ADDRESS_LIMITS) as AddressField[];

/** A new address needs these; for a saved one they may be left out (its own values stand). */
export const REQUIRED_ADDRESS_FIELDS: readonly AddressField[] = [
  "name",
  "phone",
  "province",
  "city",
  "country",
  "address_info",
  "postcode",
];

export type AddressFields = Record<AddressField, string>;

/** `saved` is the caller's address-book entry named by `input.id`, when it has one. */
export function resolveAddress(input: AddressTerms, saved: Address | undefined): AddressFields {
  if ((input.id ?? 0) > 0 && !saved) throw new Refusal("address.not_found");
  // A field sent empty counts as not sent (rule 5, docs/accept.md), so it never blanks out a saved value.
  const fields = Object.fromEntries(
    ADDRESS_FIELDS.map((field) => [field, input[field] || saved?.[field] || ""]),
  ) as AddressFields;
  for (const field of REQUIRED_ADDRESS_FIELDS) {
    if (fields[field] === "") throw new Refusal("field.required", { field: `address.${field}` });
  }
  return fields;
}
