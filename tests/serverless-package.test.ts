// `osls package` for real, offline: the CloudFormation it writes is what a deploy creates, and the zip
// is what Lambda runs. IAM is checked against the DynamoDB calls the handler's own code makes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { RETRY_LATER } from "../lib/errors.ts";
import { bundle } from "../scripts/bundle.ts";
import { readZip } from "./support/zip.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const osls = createRequire(import.meta.url).resolve("osls/bin/serverless.js");

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
interface Packaged {
  resources: Record<string, Resource>;
  zip: Map<string, Buffer>;
  zipBytes: number;
}

// osls always writes the template into <service>/.serverless before moving it to --package, so two
// packagings of one folder (two stages here, or two test runs) would swap templates. Each packages
// its own folder of links to the project instead.
const LINKED = ["package.json", "tsconfig.json", "handlers", "lib", "scripts", "node_modules"];

async function packageStage(stage: string): Promise<Packaged> {
  const service = await mkdtemp(join(tmpdir(), `osls-service-${stage}-`));
  try {
    await copyFile(join(root, "serverless.yml"), join(service, "serverless.yml")); // osls wants a real file
    for (const name of LINKED) await symlink(join(root, name), join(service, name));
    const out = join(service, "out");
    await promisify(execFile)(process.execPath, [osls, "package", "--stage", stage, "--package", out], {
      cwd: service,
      env: { ...process.env, ESBUILD_WORK_FOLDER: ".esbuild" }, // inside the folder, whoever runs the test
    });
    const template = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    );
    const zipFile = await readFile(join(out, "anqicms-orders.zip"));
    return { resources: template.Resources, zip: readZip(zipFile), zipBytes: zipFile.length };
  } finally {
    await rm(service, { recursive: true, force: true });
  }
}

const fn = (packaged: Packaged) => only(packaged, "AWS::Lambda::Function").Properties;

const ofType = (packaged: Packaged, type: string) =>
  Object.values(packaged.resources).filter((resource) => resource.Type === type);

function only(packaged: Packaged, type: string): Resource {
  const found = ofType(packaged, type);
  assert.equal(found.length, 1, `expected one ${type}`);
  return found[0] as Resource;
}

/** The policy statements serverless.yml adds (the framework's own log statements aside). */
function statements(packaged: Packaged): { Action: string[]; Resource: unknown }[] {
  const role = packaged.resources.IamRoleLambdaExecution as Resource;
  const [policy] = role.Properties.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[];
  return (policy?.PolicyDocument.Statement ?? [])
    .filter((statement) => !(statement.Action as string[]).every((action) => action.startsWith("logs:")))
    .map((statement) => ({ Action: statement.Action as string[], Resource: statement.Resource }));
}

// How each DynamoDB call of lib/ is authorised (a transaction needs the action of each item in it).
const IAM_ACTION: Record<string, string> = {
  GetCommand: "dynamodb:GetItem",
  QueryCommand: "dynamodb:Query",
  UpdateCommand: "dynamodb:UpdateItem",
  PutCommand: "dynamodb:PutItem",
  DeleteCommand: "dynamodb:DeleteItem",
  ScanCommand: "dynamodb:Scan",
  BatchGetCommand: "dynamodb:BatchGetItem",
  BatchWriteCommand: "dynamodb:BatchWriteItem",
  TransactGetCommand: "dynamodb:GetItem",
  "Put:": "dynamodb:PutItem",
  "Update:": "dynamodb:UpdateItem",
  "Delete:": "dynamodb:DeleteItem",
  "ConditionCheck:": "dynamodb:ConditionCheckItem",
};

/** The DynamoDB actions of the source files the handler's bundle really includes. */
async function actionsTheHandlerCalls(): Promise<string[]> {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ["handlers/accept.ts"],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
  });
  const actions = new Set<string>();
  for (const file of Object.keys(metafile.inputs).filter((path) => path.startsWith("lib/"))) {
    const source = await readFile(join(root, file), "utf8");
    for (const [, command] of source.matchAll(/new (\w+Command)\(/g)) {
      if (command === "TransactWriteCommand") continue; // authorised per item, below
      const action = IAM_ACTION[command as string];
      assert.ok(action, `${file} sends ${command}: add its IAM action to this test and serverless.yml`);
      actions.add(action);
    }
    if (source.includes("TransactWriteCommand")) {
      for (const [, item] of source.matchAll(/\b(Put|Update|Delete|ConditionCheck): \{/g)) {
        actions.add(IAM_ACTION[`${item}:`] as string);
      }
    }
  }
  return [...actions].sort();
}

// Both stages package at once, each in its own folder; a failure surfaces in the tests awaiting it.
const dev = packageStage("dev");
const prod = packageStage("prod");
for (const packaging of [dev, prod]) packaging.catch(() => {});

test("the HTTP API routes POST /api/communication/order/accept to a Node 24 function, CORS per stage", async () => {
  const packaged = await dev;
  const route = only(packaged, "AWS::ApiGatewayV2::Route");
  assert.equal(route.Properties.RouteKey, "POST /api/communication/order/accept");

  const fn = only(packaged, "AWS::Lambda::Function").Properties;
  assert.equal(fn.Runtime, "nodejs24.x");
  assert.equal(fn.Handler, "handlers/accept.handler");
  assert.ok((fn.Timeout as number) >= 5 && (fn.Timeout as number) < 30, "inside API Gateway's 30 s");
  assert.deepEqual(fn.Environment, {
    Variables: {
      TABLE_NAME: "anqicms-orders-dev",
      TOKEN_SECRET_PARAMETER: "/anqicms-orders/dev/token-secret",
    },
  });
  assert.equal(typeof only(packaged, "AWS::Logs::LogGroup").Properties.RetentionInDays, "number");

  const cors = only(packaged, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration as Record<
    string,
    string[]
  >;
  assert.deepEqual(cors.AllowHeaders, ["content-type", "token"]);
  assert.deepEqual(cors.ExposeHeaders, ["update-token"]);
  assert.ok(!cors.AllowOrigins?.includes("*"), "origins are listed, not *");
  const prodCors = only(await prod, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration;
  assert.notDeepEqual((prodCors as Record<string, string[]>).AllowOrigins, cors.AllowOrigins);
});

test("the table is lib/store/table.ts's: pk HASH, sk RANGE, on demand, PITR, SSE, no index", async () => {
  const packaged = await dev;
  const table = only(packaged, "AWS::DynamoDB::Table");
  const { tableDefinition } = await import("../lib/store/table.ts");
  const local = tableDefinition("anqicms-orders-dev");
  const props = table.Properties;
  assert.equal(props.TableName, "anqicms-orders-dev");
  assert.deepEqual(props.KeySchema, [
    { AttributeName: "pk", KeyType: "HASH" },
    { AttributeName: "sk", KeyType: "RANGE" },
  ]);
  assert.deepEqual(props.KeySchema, local.KeySchema);
  assert.deepEqual(props.AttributeDefinitions, local.AttributeDefinitions);
  assert.equal(props.BillingMode, "PAY_PER_REQUEST");
  assert.equal(props.GlobalSecondaryIndexes, undefined);
  assert.equal(props.LocalSecondaryIndexes, undefined);
  assert.deepEqual(props.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  assert.deepEqual(props.SSESpecification, { SSEEnabled: true });
  assert.equal(props.DeletionProtectionEnabled, false);
  assert.equal(table.DeletionPolicy, "Delete");

  const prodTable = only(await prod, "AWS::DynamoDB::Table");
  assert.equal(prodTable.Properties.TableName, "anqicms-orders-prod");
  assert.equal(prodTable.Properties.DeletionProtectionEnabled, true);
  assert.equal(prodTable.DeletionPolicy, "Retain");
});

test("IAM grants exactly the DynamoDB actions the handler calls, on the table only, and the one secret", async () => {
  const packaged = await dev;
  const [dynamodb, ssm, ...others] = statements(packaged);
  assert.deepEqual(others, []);

  assert.deepEqual([...(dynamodb?.Action ?? [])].sort(), [
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
  ]);
  assert.deepEqual([...(dynamodb?.Action ?? [])].sort(), await actionsTheHandlerCalls());
  assert.deepEqual(dynamodb?.Resource, { "Fn::GetAtt": ["OrdersTable", "Arn"] });

  // lib/aws/ssm-parameter.ts fetches with GetParameter (WithDecryption), never by path.
  assert.deepEqual(ssm?.Action, ["ssm:GetParameter"]);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} substitution
  const secretArn = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
  assert.deepEqual(ssm?.Resource, { "Fn::Sub": `${secretArn}/anqicms-orders/dev/token-secret` });

  for (const statement of statements(packaged)) {
    for (const action of statement.Action) assert.ok(!action.includes("*"), `wildcard action ${action}`);
    assert.ok(!JSON.stringify(statement.Resource).includes("*"), "wildcard resource");
  }
});

/** The deployable bundle's budget (spec §10). */
const MAX_BUNDLE_BYTES = 300 * 1024;

test("the zip is one minified ESM bundle within the 300 KB budget, the one the bench measures", async () => {
  const packaged = await dev;
  assert.deepEqual([...packaged.zip.keys()].sort(), ["handlers/accept.js", "handlers/package.json"]);
  assert.deepEqual(JSON.parse(String(packaged.zip.get("handlers/package.json"))), { type: "module" });
  const code = packaged.zip.get("handlers/accept.js") as Buffer;
  assert.ok(code.toString().split("\n").length < 100, "minified");
  assert.ok(
    code.length <= MAX_BUNDLE_BYTES,
    `the bundle is ${code.length} bytes, over the budget of ${MAX_BUNDLE_BYTES}: see BENCHMARKS.md`,
  );
  // scripts/bundle.ts (npm run bench) builds exactly what osls packages.
  const built = await bundle("handlers/accept.ts");
  assert.equal(built.bytes, code.length);
  assert.ok(built.code === code.toString(), "scripts/bundle.ts and serverless.yml build the same bundle");
  // The trimming plugins did their work: no default credential chain, no SSM client, no event streams.
  const inputs = Object.keys(built.metafile.inputs).join("\n");
  for (const absent of [
    "@aws-sdk/credential-provider-node",
    "@aws-sdk/credential-provider-ini",
    "@smithy/credential-provider-imds",
    "@aws-sdk/nested-clients",
    "@aws-sdk/client-ssm",
    "@smithy/core/dist-es/submodules/event-streams",
    "mnemonist",
  ]) {
    assert.ok(!inputs.includes(absent), `${absent} is in the bundle`);
  }
});

test("Lambda's environment alone loads the zip, and importing it touches no network", async (t) => {
  const packaged = await dev;
  // Lambda's layout: /var/task/handlers/accept.js beside its package.json, no node_modules anywhere.
  const task = await mkdtemp(join(tmpdir(), "lambda-task-"));
  t.after(() => rm(task, { recursive: true, force: true }));
  await mkdir(join(task, "handlers"));
  for (const [name, data] of packaged.zip) await writeFile(join(task, name), data);
  // What Lambda sets (the role's keys included), serverless.yml's variables, nothing of this machine's.
  const env = {
    PATH: "/usr/bin:/bin",
    HOME: task,
    LAMBDA_TASK_ROOT: task,
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_NAME: "anqicms-orders-dev-accept",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs24.x",
    AWS_ACCESS_KEY_ID: "ASIAEXAMPLEEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "example-secret-access-key",
    AWS_SESSION_TOKEN: "example-session-token",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    ...(fn(packaged).Environment as { Variables: Record<string, string> }).Variables,
  };
  const run = (...events: string[]) =>
    promisify(execFile)(
      process.execPath,
      [
        "--import",
        join(root, "tests/support/network-guard.ts"),
        join(root, "tests/support/invoke-bundle.ts"),
        join(task, "handlers/accept.js"),
        ...events.map((name) => join(root, `events/${name}.json`)),
      ],
      { cwd: task, env },
    );

  // No token: answered without the secret, so without any network use at all, import included.
  const anonymous = await run("accept-not-logged-in");
  assert.equal(anonymous.stderr, "");
  const [answer] = JSON.parse(anonymous.stdout);
  assert.equal(answer.statusCode, 200);
  assert.deepEqual(JSON.parse(answer.body), { code: 1001, msg: "not logged in" });

  // A token needs the secret: the one network use is the SSM endpoint (refused here, hence a clean 503).
  // This also shows that the guard sees the bundle's connections.
  const withToken = await run("accept-interface-example");
  assert.deepEqual(withToken.stderr.trim().split("\n"), ["network: connect ssm.us-east-1.amazonaws.com:443"]);
  const [refused] = JSON.parse(withToken.stdout);
  assert.equal(refused.statusCode, 503);
  assert.deepEqual(JSON.parse(refused.body), { code: -1, msg: RETRY_LATER });
});
