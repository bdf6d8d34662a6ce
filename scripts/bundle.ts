// The deployable bundle as serverless-esbuild builds it (serverless.yml custom.esbuild), for the bench
// and the tests: same options, same plugins, plus a metafile. tests/serverless-package.test.ts checks
// that this build and the zip's JavaScript are byte for byte the same, so the two cannot drift apart.
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { bundlePlugins } from "./esbuild-plugins.ts";

export const root = fileURLToPath(new URL("../", import.meta.url));

/** serverless.yml's custom.esbuild, as esbuild options. */
const deployFlags: BuildOptions = {
  bundle: true,
  minify: true,
  sourcemap: "linked",
  sourcesContent: false,
  charset: "utf8",
  format: "esm",
  platform: "node",
  target: "node24",
  mainFields: ["module", "main"],
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
};

export interface Bundle {
  code: string;
  bytes: number;
  /** The linked source map, which goes beside the bundle under the name its last line gives. */
  map: { name: string; text: string };
  metafile: Metafile;
}

/**
 * Bundles `entry` (relative to the project) with the deploy flags. `trimmed: false` leaves out the
 * project's trimming plugins: the naive bundle the bench compares against.
 */
export async function bundle(entry: string, options: { trimmed?: boolean } = {}): Promise<Bundle> {
  const result = await build({
    ...deployFlags,
    absWorkingDir: root,
    entryPoints: [entry],
    outdir: "out", // not written; names the output in the metafile
    write: false,
    metafile: true,
    plugins: options.trimmed === false ? [] : bundlePlugins,
  });
  // The JavaScript, not a source map written beside it.
  const output = result.outputFiles.find((file) => file.path.endsWith(".js"));
  if (!output) throw new Error(`esbuild produced no JavaScript for ${entry}`);
  const map = result.outputFiles.find((file) => file.path === `${output.path}.map`);
  const name = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(output.text)?.[1];
  if (!map || !name) throw new Error(`esbuild produced no linked source map for ${entry}`);
  return {
    code: output.text,
    bytes: output.contents.length,
    map: { name, text: map.text },
    metafile: result.metafile,
  };
}

/** Bytes in the output per package (or `project` for our own files), largest first. */
export function bytesByPackage(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "project";
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}
