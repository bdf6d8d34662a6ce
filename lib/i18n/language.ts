// Which language an answer speaks (rule 1, docs/accept.md): the request's Accept-Language, else the site's
// Settings.language, else zh-CN. Tags map onto the catalogues in messages.ts.
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from "./messages.ts";

/**
 * One of our languages for a language tag (any case), or undefined. Chinese goes by script, then by
 * region: Hant, TW, HK, MO read Traditional; Hans, CN, SG, plain `zh` and any other region read
 * Simplified. Any other tag matches a catalogue exactly, else by its primary subtag (`en-GB` → en-US).
 */
export function languageOfTag(tag: string): Language | undefined {
  const subtags = tag.toLowerCase().split("-");
  const [primary, ...rest] = subtags;
  if (primary === "zh") {
    if (rest.includes("hant")) return "zh-TW";
    if (rest.includes("hans")) return "zh-CN";
    return rest.some((subtag) => subtag === "tw" || subtag === "hk" || subtag === "mo") ? "zh-TW" : "zh-CN";
  }
  const lower = tag.toLowerCase();
  return (
    LANGUAGES.find((language) => language.toLowerCase() === lower) ??
    LANGUAGES.find((language) => language.split("-")[0]?.toLowerCase() === primary)
  );
}

/** `q=` of one entry: 1 when absent, undefined when malformed (the entry is then ignored). */
function qualityOf(params: string[]): number | undefined {
  for (const param of params) {
    const match = /^q\s*=\s*(\S*)$/i.exec(param);
    if (match) return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(match[1] ?? "") ? Number(match[1]) : undefined;
  }
  return 1;
}

export interface Preference {
  /** The most preferred of our languages (highest q, then first in the header); undefined if none. */
  preferred: Language | undefined;
  /** Our languages the header rules out (q=0, and no other tag for them above 0). */
  refused: ReadonlySet<Language>;
}

export function readAcceptLanguage(header: string | undefined): Preference {
  const best = new Map<Language, { q: number; position: number }>();
  for (const [position, entry] of (header ?? "").split(",").entries()) {
    const [tag, ...params] = entry.split(";").map((part) => part.trim());
    if (!tag || tag === "*") continue; // `*` names no language of ours: the site decides
    const q = qualityOf(params);
    const language = languageOfTag(tag);
    if (q === undefined || !language) continue;
    const seen = best.get(language);
    if (!seen || q > seen.q) best.set(language, { q, position });
  }
  let preferred: { language: Language; q: number; position: number } | undefined;
  const refused = new Set<Language>();
  for (const [language, { q, position }] of best) {
    if (q === 0) refused.add(language);
    else if (!preferred || q > preferred.q || (q === preferred.q && position < preferred.position)) {
      preferred = { language, q, position };
    }
  }
  return { preferred: preferred?.language, refused };
}

/**
 * The answer's language: the header's preference; else the site's language; else zh-CN. A language
 * the header refuses (q=0) is skipped in that fallback while another remains.
 */
export function chooseLanguage(preference: Preference, siteLanguage: Language | undefined): Language {
  if (preference.preferred) return preference.preferred;
  const fallbacks = [siteLanguage ?? DEFAULT_LANGUAGE, DEFAULT_LANGUAGE, ...LANGUAGES];
  return fallbacks.find((language) => !preference.refused.has(language)) ?? siteLanguage ?? DEFAULT_LANGUAGE;
}
