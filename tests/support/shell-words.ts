// The simple commands of a shell snippet from the docs, as words, so that tests/unit/docs-references
// can check what each one runs. Enough of sh for documentation: quotes, backslash continuations,
// comments, ; && || | & ( ) { } and $( ) as separators, redirections (their targets dropped), and
// <placeholders> read as one word.

/** Each simple command's words, quotes removed; a `$(...)` is a command of its own. */
export function simpleCommands(script: string): string[][] {
  const text = script.replace(/<[^<>\s][^<>\n]*?>/g, "PLACEHOLDER");
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  let redirect = false;
  const endWord = () => {
    if (word !== null && !redirect) words.push(word);
    if (word !== null) redirect = false;
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
    redirect = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\") word += text[++i] ?? "";
      else word += c;
    } else if (c === "\\") {
      if (next !== "\n") word = (word ?? "") + (next ?? "");
      i++;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "#" && word === null) {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else if (c === " " || c === "\t") {
      endWord();
    } else if (c === ">" || c === "<") {
      endWord();
      redirect = true;
    } else if (c === "$" && next === "(") {
      endCommand();
      i++;
    } else if ("\n;&|()".includes(c) || ((c === "{" || c === "}") && word === null)) {
      endCommand();
    } else {
      word = (word ?? "") + c;
    }
  }
  endCommand();
  return commands;
}
