// esbuild plugins for serverless-esbuild (serverless.yml custom.esbuild.plugins).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Plugin } from "esbuild";

// Lambda loads a `.js` handler with import() only when a package.json beside it says "module"; without
// one it require()s the file and relies on Node's syntax detection. serverless-esbuild drops the root
// package.json from the zip, so write one next to the bundle.
const markEsm: Plugin = {
  name: "mark-esm",
  setup(build) {
    build.onEnd(async (result) => {
      const outdir = build.initialOptions.outdir;
      if (result.errors.length > 0 || !outdir) return;
      await writeFile(join(outdir, "package.json"), '{ "type": "module" }\n');
    });
  },
};

export default [markEsm];
