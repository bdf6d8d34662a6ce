// Run as a child process: imports a packaged bundle as Lambda would (argv[2]), then invokes its handler
// with each event file given after it, one after another, and prints the results as one JSON line.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

const [bundlePath, ...eventFiles] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundlePath as string).href);
const results: unknown[] = [];
for (const file of eventFiles) {
  const event = JSON.parse(await readFile(file, "utf8"));
  const deadline = Date.now() + 10_000;
  results.push(
    await handler(event, {
      awsRequestId: "cold-start",
      getRemainingTimeInMillis: () => deadline - Date.now(),
    }),
  );
}
process.stdout.write(`${JSON.stringify(results)}\n`);
