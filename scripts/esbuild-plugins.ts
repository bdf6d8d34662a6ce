// esbuild plugins for serverless-esbuild (serverless.yml custom.esbuild.plugins).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

// The SDK clients import the default credential chain statically (profiles, SSO, processes, web
// identity, instance metadata and the nested STS/SSO clients: about 100 KB), even when they are given
// credentials. On Lambda the credentials are environment variables, so the bundle gets an env-only
// stand-in instead (lib/aws/).
const standIn = fileURLToPath(new URL("../lib/aws/default-provider-stand-in.ts", import.meta.url));
const envOnlyCredentials: Plugin = {
  name: "env-only-credentials",
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: standIn }));
  },
};

// The SDK's protocol code loads its event-stream support with a dynamic import, which a single-file
// bundle inlines anyway. DynamoDB has no event-stream operation: a stub that fails clearly instead.
const noEventStreams = fileURLToPath(new URL("../lib/aws/no-event-streams.ts", import.meta.url));
const withoutEventStreams: Plugin = {
  name: "without-event-streams",
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({ path: noEventStreams }));
  },
};

// The DynamoDB client's endpoint-discovery cache (unused unless discovery is turned on) is a mnemonist
// LRU with its iterator helpers; a Map-based one of the same surface does.
const smallLru = fileURLToPath(new URL("../lib/aws/small-lru-cache.ts", import.meta.url));
const smallLruCache: Plugin = {
  name: "small-lru-cache",
  setup(build) {
    build.onResolve({ filter: /^mnemonist\/lru-cache(\.js)?$/ }, () => ({ path: smallLru }));
  },
};

// The SDK clients import their whole package.json for the version in the user agent: keep the name and
// version, drop the rest (scripts, dependency lists).
const packageVersionOnly: Plugin = {
  name: "package-version-only",
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, "utf8"));
      return { contents: JSON.stringify({ name, version }), loader: "json" };
    });
  },
};

// @middy/util imports node:http at module load for STATUS_CODES alone; the SDK loads node:http lazily, on
// the first request. A lazy stand-in keeps that cost out of the import (lib/http/lazy-status-codes.ts).
const lazyStatusCodes = fileURLToPath(new URL("../lib/http/lazy-status-codes.ts", import.meta.url));
const middyWithoutEagerHttp: Plugin = {
  name: "middy-without-eager-http",
  setup(build) {
    build.onResolve({ filter: /^node:http$/ }, (args) =>
      /[\\/]@middy[\\/]util[\\/]/.test(args.importer) ? { path: lazyStatusCodes } : undefined,
    );
  },
};

export const bundlePlugins = [
  envOnlyCredentials,
  withoutEventStreams,
  smallLruCache,
  packageVersionOnly,
  middyWithoutEagerHttp,
];
export default [markEsm, ...bundlePlugins];
