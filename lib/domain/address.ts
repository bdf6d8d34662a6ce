// The address an order ships to: a new one, or a saved one with the request's fields on top.
import type { AddressInput } from "../accept/request.ts";
import { Refusal } from "../errors.ts";
import type { Address } from "./entities.ts";

export const ADDRESS_FIELDS = [
  "name",
  "last_name",
  "phone",
  "email",
  "province",
  "city",
  "town",
  "country",
  "address_info",
  "company",
  "postcode",
] as const;

const REQUIRED = ["name", "phone", "province", "city", "country", "address_info", "postcode"] as const;

export type AddressFields = Record<(typeof ADDRESS_FIELDS)[number], string>;

/** `saved` is the caller's address-book entry named by `input.id`, when it has one. */
export function resolveAddress(input: AddressInput, saved: Address | undefined): AddressFields {
  if ((input.id ?? 0) > 0 && !saved) throw new Refusal("address.not_found");
  const fields = {} as AddressFields;
  // A field sent empty counts as not sent (rule 5, docs/accept.md), so it never blanks out a saved value.
  for (const field of ADDRESS_FIELDS) fields[field] = input[field] || saved?.[field] || "";
  for (const field of REQUIRED) {
    if (fields[field] === "") throw new Refusal("field.required", { field: `address.${field}` });
  }
  return fields;
}
