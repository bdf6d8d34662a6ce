// The message catalogues and how a message is written out. Adding a language: add its catalogue file
// (typed Record<MessageKey, string>, like zh-TW.ts) and register it in `catalogues` below; Settings,
// Accept-Language matching and Content-Language follow from this list.
import { enUS, type MessageKey } from "./en-US.ts";
import { zhCN } from "./zh-CN.ts";
import { zhTW } from "./zh-TW.ts";

export type { MessageKey };

/** The first language is the default, as AnqiCMS writes Simplified Chinese first. */
export const catalogues = {
  "zh-CN": zhCN,
  "zh-TW": zhTW,
  "en-US": enUS,
} as const satisfies Record<string, Record<MessageKey, string>>;

export type Language = keyof typeof catalogues;
export const LANGUAGES = Object.keys(catalogues) as [Language, ...Language[]];
export const DEFAULT_LANGUAGE: Language = "zh-CN";

/** `{name}` placeholders: a name is lower-case letters and underscores (so `{goods_id, quantity}` is text). */
const PLACEHOLDER = /\{([a-z_]+)\}/g;

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name extends `${string}${" " | ","}${string}`
    ? Placeholders<Rest>
    : Name | Placeholders<Rest>
  : never;

/** The parameters a message takes, read from its English text: `{max}` makes `max` required. */
type MessageParams<K extends MessageKey> = Record<Placeholders<(typeof enUS)[K]>, string | number>;

/** A message's arguments after its key: none when it has no placeholder, else its parameters. */
export type MessageArgs<K extends MessageKey> = [Placeholders<(typeof enUS)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string).sort();
}

export function formatMessage(
  language: Language,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return catalogues[language][key].replace(PLACEHOLDER, (placeholder, name: string) =>
    name in params ? String(params[name]) : placeholder,
  );
}
