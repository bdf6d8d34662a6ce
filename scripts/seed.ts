// npm run seed -- <fixture.json> [--replace] [--aws]: loads a fixture, never over live data. With neither
// TABLE_NAME nor DYNAMODB_ENDPOINT set, into the table of the npm run dev running here (scripts/dev-registry.ts).
// Locally (DYNAMODB_ENDPOINT on this machine) it creates the table when missing and may replace items
// on request. On AWS (no DYNAMODB_ENDPOINT, or one on another host) the stack owns the table: the
// loader never creates it, writes only with --aws, and never replaces. See docs/operations.md.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { createDocumentClient } from "../lib/store/client.ts";
import { type LoadReport, loadFixture } from "../lib/store/fixture.ts";
import { ensureTable } from "../lib/store/table.ts";
import { devServerToSeed } from "./dev-registry.ts";
import { readFixtureFile } from "./fixture-file.ts";

/** A load the operator did not ask for explicitly enough; refused before any network call. */
export class SeedRefused extends Error {
  override name = "SeedRefused";
}

/**
 * Whether an endpoint is on this machine: host `localhost`, an IPv4 loopback address (127.0.0.0/8) or
 * `[::1]`. Anything else, a DynamoDB Local in another container included, is treated as AWS.
 */
export function isLocalEndpoint(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return false;
  }
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface SeedOptions {
  file: string;
  tableName: string;
  /** DYNAMODB_ENDPOINT; undefined means AWS. */
  endpoint: string | undefined;
  /** Overwrite items that exist (local endpoints only). */
  replace?: boolean | undefined;
  /** The operator says the target is AWS: required to write anywhere but a local endpoint. */
  aws?: boolean | undefined;
  /** SDK middleware hooks (tests). */
  configure?: (client: DynamoDBClient) => void;
}

export interface SeedReport extends LoadReport {
  /** Items in the fixture. */
  items: number;
  target: "local" | "aws";
  createdTable: boolean;
}

/** Where the load goes, or SeedRefused: decided from the options alone, before any client exists. */
function seedTarget(options: Pick<SeedOptions, "endpoint" | "replace" | "aws">): "local" | "aws" {
  const where = options.endpoint ? `DYNAMODB_ENDPOINT ${options.endpoint}` : "AWS (no DYNAMODB_ENDPOINT)";
  if (options.endpoint && isLocalEndpoint(options.endpoint)) {
    if (options.aws) throw new SeedRefused(`--aws names AWS, but the target is the local ${where}`);
    return "local";
  }
  if (options.replace) {
    throw new SeedRefused(`--replace is allowed only against a local endpoint; the target is ${where}`);
  }
  if (!options.aws) {
    throw new SeedRefused(
      `the target is ${where}, not this machine: nothing was sent. To load it (existing items are ` +
        "left as they are), say so with --aws",
    );
  }
  return "aws";
}

export async function seed(options: SeedOptions): Promise<SeedReport> {
  const target = seedTarget(options);
  const items = await readFixtureFile(options.file);
  const doc = createDocumentClient({ endpoint: options.endpoint, configure: options.configure });
  try {
    let createdTable = false;
    if (target === "local") {
      createdTable = await ensureTable(doc, options.tableName);
    } else {
      await doc.send(new DescribeTableCommand({ TableName: options.tableName })).catch((error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        throw new SeedRefused(
          `table ${options.tableName} does not exist: on AWS the stack creates it (npx osls deploy), never the loader`,
        );
      });
    }
    const report = await loadFixture({ doc, table: options.tableName }, items, {
      replace: options.replace === true,
    });
    return { ...report, items: items.length, target, createdTable };
  } finally {
    doc.destroy();
  }
}

/** One line for the operator: what was written, what was left alone. */
export function describeSeed(report: SeedReport): string {
  const parts = [`${report.written} written`];
  if (report.skipped > 0 || report.replaced === 0) {
    parts.push(`${report.skipped} already there and left as they were`);
  }
  if (report.replaced > 0) parts.push(`${report.replaced} already there and replaced`);
  return `${report.items} items: ${parts.join(", ")}`;
}

/** One line for the operator; the SDK's own words for a missing region or credentials say what to set. */
export function explainSeedError(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  if (message === "Region is missing") {
    return "no AWS region: set AWS_REGION (e.g. AWS_REGION=ap-east-1), or AWS_PROFILE to a profile with a region in ~/.aws/config";
  }
  if (name === "CredentialsProviderError") {
    return (
      "no AWS credentials: set AWS_PROFILE to a profile in ~/.aws/config or ~/.aws/credentials (run " +
      "`aws sso login --profile <name>` first for an SSO one), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
      "(and AWS_SESSION_TOKEN for temporary credentials)"
    );
  }
  return message ?? String(error);
}

function parseSeedArgs(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { replace: { type: "boolean" }, aws: { type: "boolean" } },
  });
  return { file: positionals[0], replace: values.replace === true, aws: values.aws === true };
}

/**
 * The table and endpoint: TABLE_NAME and DYNAMODB_ENDPOINT from the shell; with neither (and no --aws),
 * those of the npm run dev running from this folder (PORT picks one), so that its banner's command works.
 */
async function target(aws: boolean): Promise<{ tableName?: string; endpoint?: string; via: string }> {
  const tableName = process.env.TABLE_NAME?.trim() || undefined;
  const endpoint = process.env.DYNAMODB_ENDPOINT?.trim() || undefined;
  if (tableName || endpoint || aws) return { tableName, endpoint, via: "" };
  const port = process.env.PORT?.trim();
  if (port && !/^\d+$/.test(port))
    throw new SeedRefused(`PORT must be npm run dev's port number, not "${port}"`);
  const dev = await devServerToSeed(port ? Number(port) : undefined);
  return {
    tableName: dev.table,
    endpoint: dev.endpoint,
    via: ` at ${dev.endpoint} (npm run dev on port ${dev.port})`,
  };
}

if (import.meta.main) {
  const usage = [
    "usage: npm run seed -- <fixture.json> [--replace]   (into the running npm run dev's table)",
    "       TABLE_NAME=<table> [DYNAMODB_ENDPOINT=<url>] npm run seed -- <fixture.json> [--replace] [--aws]",
  ].join("\n");
  let args: ReturnType<typeof parseSeedArgs>;
  try {
    args = parseSeedArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (!args.file) {
    console.error(usage);
    process.exit(2);
  }
  try {
    const { tableName, endpoint, via } = await target(args.aws);
    if (!tableName) {
      console.error(usage);
      process.exit(2);
    }
    // npm runs scripts from the project root; the path is relative to where the command was typed.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), args.file);
    const report = await seed({ file, tableName, endpoint, replace: args.replace, aws: args.aws });
    console.log(`${tableName}${via}: ${describeSeed(report)} (from ${args.file})`);
  } catch (error) {
    console.error(explainSeedError(error));
    process.exit(1);
  }
}
