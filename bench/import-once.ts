// Child process of the bench: the time to import one bundle (module loading and evaluation, what a cold
// start pays before the first request), printed in milliseconds.
import { pathToFileURL } from "node:url";

const started = performance.now();
await import(pathToFileURL(process.argv[2] as string).href);
process.stdout.write(String(performance.now() - started));
