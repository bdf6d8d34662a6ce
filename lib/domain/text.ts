// Text rules shared by requests and stored items: lengths in characters (Unicode code points, as
// AnqiCMS's utf8mb4 columns count them), never UTF-16 units, so that an emoji counts once.
import * as v from "valibot";

/** Code points in `text`, stopping early once past `limit`. */
function codePointLength(text: string, limit = Number.POSITIVE_INFINITY): number {
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
    // A string never has more code points than UTF-16 units: most need no walk at all.
    v.check((text: string) => text.length <= max || codePointLength(text, max) <= max, message),
    { maxCodePoints: max },
  );
