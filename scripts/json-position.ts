// Where a JSON text goes wrong, as line and column: V8's JSON.parse names a position for some mistakes
// only ("Unexpected token '}', ... is not valid JSON" and "Unexpected end of JSON input" name none), and a
// person fixing a fixture file needs the line. A strict RFC 8259 scanner, used only after JSON.parse failed.

/** JSON's literals, by their first letter. */
const WORDS: Record<string, string> = { t: "true", f: "false", n: "null" };

/** The offset of the first character that makes `text` invalid JSON (its length: it ended too soon). */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at] as string)) at++;
  };
  const literal = (word: string) => {
    for (const char of word) {
      if (text[at] !== char) fail();
      at++;
    }
  };
  const digits = () => {
    const start = at;
    while (text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++; // 0-9; NaN past the end
    if (at === start) fail();
  };
  const string = () => {
    at++; // the opening quote
    for (;;) {
      if (at >= text.length) fail();
      const char = text[at] as string;
      if (char === '"') return void at++;
      if (char < " ") fail();
      if (char === "\\") {
        at++;
        if (text[at] === "u") {
          for (let digit = 0; digit < 4; digit++) if (!/[0-9a-fA-F]/.test(text[++at] ?? "")) fail();
        } else if (!'"\\/bfnrt'.includes(text[at] ?? "x")) fail();
      }
      at++;
    }
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === "{" || char === "[") {
      const close = char === "{" ? "}" : "]";
      at++;
      space();
      if (text[at] === close) return void at++;
      for (;;) {
        if (close === "}") {
          space();
          if (text[at] !== '"') fail();
          string();
          space();
          if (text[at] !== ":") fail();
          at++;
        }
        value();
        space();
        if (text[at] === close) return void at++;
        if (text[at] !== ",") fail();
        at++;
      }
    }
    const word = char === undefined ? undefined : WORDS[char];
    if (char === '"') string();
    else if (word) literal(word);
    else number();
  };
  const number = () => {
    // A number, failing where V8 does: at the first character that cannot continue it.
    if (text[at] === "-") at++;
    if (text[at] === "0") at++;
    else digits();
    if (text[at] === ".") {
      at++;
      digits();
    }
    if (text[at] === "e" || text[at] === "E") {
      at++;
      if (text[at] === "+" || text[at] === "-") at++;
      digits();
    }
  };
  try {
    value();
    space();
    return at < text.length ? at : undefined;
  } catch (offset) {
    return Math.min(offset as number, text.length);
  }
}

/** 1-based line and column (in UTF-16 units, as editors count a BMP text) of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}
