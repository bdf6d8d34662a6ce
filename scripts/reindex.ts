// npm run reindex [-- --aws]: gives every quotation and voucher of TABLE_NAME the lookup-index keys its
// attributes call for (lib/store/reindex.ts). Run it once on a table that held data before the index
// existed, and after any import or hand edit that changed a quotation's status, product or accepted
// time, or a voucher's code, without setting them. Safe to run again: it changes only what differs.
// Locally (DYNAMODB_ENDPOINT on this machine) it runs as is; on AWS only with --aws (docs/operations.md).
import { parseArgs } from "node:util";
import { createDocumentClient } from "../lib/store/client.ts";
import { reindexLookups } from "../lib/store/reindex.ts";
import { explainSeedError, isLocalEndpoint } from "./seed.ts";

const USAGE = "usage: TABLE_NAME=<table> [DYNAMODB_ENDPOINT=<url>] npm run reindex [-- --aws]";

if (import.meta.main) {
  const { values } = parseArgs({ options: { aws: { type: "boolean" } } });
  const table = process.env.TABLE_NAME?.trim();
  const endpoint = process.env.DYNAMODB_ENDPOINT?.trim() || undefined;
  const local = endpoint !== undefined && isLocalEndpoint(endpoint);
  if (!table) {
    console.error(USAGE);
    process.exit(2);
  }
  if (local === Boolean(values.aws)) {
    // The operator names AWS explicitly, and never names it for a local endpoint (as npm run seed).
    console.error(
      local
        ? `--aws names AWS, but the target is the local DYNAMODB_ENDPOINT ${endpoint}`
        : `the target is ${endpoint ?? "AWS (no DYNAMODB_ENDPOINT)"}: nothing was sent; say so with --aws\n${USAGE}`,
    );
    process.exit(2);
  }
  const doc = createDocumentClient({ endpoint });
  try {
    const report = await reindexLookups({ doc, table });
    console.log(
      `${table}: ${report.scanned} quotations and vouchers, ${report.updated} given their lookup keys` +
        (report.malformed > 0 ? `, ${report.malformed} malformed (data faults) left alone` : ""),
    );
  } catch (error) {
    console.error(explainSeedError(error));
    process.exit(1);
  } finally {
    doc.destroy();
  }
}
