// The address an order ships to: its fields and their limits (declared here once: the request schema,
// the stored schemas, the snapshot and the OpenAPI document derive from them), and how a new one, or a
// saved one with the request's fields on top, becomes the order's snapshot (rule 5, docs/accept.md).
import { Refusal } from "../errors.ts";
import type { Address } from "./entities.ts";
import type { AddressTerms } from "./terms.ts";

/**
 * The fields, each with its length limit in characters (code points, as AnqiCMS's columns hold them),
 * whether a new address needs it (a saved one keeps its own value), and what it is (for the API's docs).
 */
const FIELDS = {
  name: { max: 64, required: true, about: "The recipient's name." },
  last_name: {
    max: 64,
    required: false,
    about: "The recipient's last name, where the shop asks for it apart.",
  },
  phone: { max: 20, required: true, about: "The recipient's phone number." },
  email: { max: 100, required: false, about: "The recipient's e-mail." },
  province: { max: 100, required: true, about: "Province or state." },
  city: { max: 100, required: true, about: "City." },
  town: { max: 100, required: false, about: "Town or district." },
  country: { max: 100, required: true, about: "Country." },
  address_info: { max: 255, required: true, about: "Street address." },
  company: { max: 250, required: false, about: "Company." },
  postcode: { max: 36, required: true, about: "Postal code." },
} as const;

export type AddressField = keyof typeof FIELDS;
export const ADDRESS_FIELDS = Object.keys(FIELDS) as AddressField[];
export const addressField = (field: AddressField) => FIELDS[field];
export const REQUIRED_ADDRESS_FIELDS = ADDRESS_FIELDS.filter((field) => FIELDS[field].required);

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
