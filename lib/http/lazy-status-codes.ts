// Replaces `node:http` for @middy/util in the deployed bundle (scripts/esbuild-plugins.ts). It imports
// node:http only for STATUS_CODES (error names), and loading node:http at import costs a cold start
// about 18 ms that the SDK, which loads it lazily, does not pay. Looked up on first use instead.
import type { STATUS_CODES as Codes } from "node:http";

export const STATUS_CODES: typeof Codes = new Proxy(
  {},
  { get: (_table, code) => process.getBuiltinModule("node:http").STATUS_CODES[code as string] },
);
