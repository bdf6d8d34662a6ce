// Text rules shared by requests and stored items: lengths in characters (Unicode code points, as
// AnqiCMS's utf8mb4 columns count them), never UTF-16 units, so that an emoji counts once.
import * as v from "valibot";

/** Code points in `text`, stopping early once past `limit`. */
export function codePointLength(text: string, limit = Number.POSITIVE_INFINITY): number {
  let count = 0;
  for (const _ of text) {
    count++;
    if (count > limit) break;
  }
  return count;
}

/** A valibot check: at most `max` code points (the bound kept on it, for the OpenAPI document). */
export const maxCodePoints = (max: number, message?: string) =>
  Object.assign(
    v.check((text: string) => codePointLength(text, max) <= max, message),
    { maxCodePoints: max },
  );
