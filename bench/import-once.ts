// Child process of the bench: the time to import one bundle (module loading and evaluation, what a cold
// start pays before the first request), printed in milliseconds. Run as Lambda runs the function, with
// NODE_OPTIONS=--enable-source-maps: Node then also reads and parses the .map beside the bundle.
import { findSourceMap } from "node:module";
import { pathToFileURL } from "node:url";

const url = pathToFileURL(process.argv[2] as string).href;
const started = performance.now();
await import(url);
const took = performance.now() - started;
// A figure without the map's cost would not be the shipped one.
if (process.sourceMapsEnabled && !findSourceMap(url)) throw new Error(`no source map loaded for ${url}`);
process.stdout.write(String(took));
