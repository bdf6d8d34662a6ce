// `osls package` for real, offline: the CloudFormation it writes is what a deploy creates, and the zip
// is what Lambda runs. IAM is checked against the DynamoDB calls the handler's own code makes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { readZip } from "./support/zip.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const osls = createRequire(import.meta.url).resolve("osls/bin/serverless.js");

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
interface Packaged {
  resources: Record<string, Resource>;
  conditions: Record<string, unknown>;
  zip: Map<string, Buffer>;
  zipBytes: number;
}

// osls always writes the template into <service>/.serverless before moving it to --package, so two
// packagings of one folder (two stages here, or two test runs) would swap templates. Each packages
// its own folder of links to the project instead.
const LINKED = ["package.json", "tsconfig.json", "handlers", "lib", "scripts", "node_modules"];

async function packageStage(stage: string, args: string[] = []): Promise<Packaged> {
  const service = await mkdtemp(join(tmpdir(), `osls-service-${stage}-`));
  try {
    await copyFile(join(root, "serverless.yml"), join(service, "serverless.yml")); // osls wants a real file
    for (const name of LINKED) await symlink(join(root, name), join(service, name));
    const out = join(service, "out");
    await promisify(execFile)(
      process.execPath,
      [osls, "package", "--stage", stage, "--package", out, ...args],
      {
        cwd: service,
        env: { ...process.env, ESBUILD_WORK_FOLDER: ".esbuild" }, // inside the folder, whoever runs the test
      },
    );
    const template = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    );
    const zipFile = await readFile(join(out, "anqicms-orders.zip"));
    return {
      resources: template.Resources,
      conditions: template.Conditions ?? {},
      zip: readZip(zipFile),
      zipBytes: zipFile.length,
    };
  } finally {
    await rm(service, { recursive: true, force: true });
  }
}

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
// OrderAccepted to a bus the service does not own (params.eventBusName).
const namedBus = packageStage("dev", ["--param=eventBusName=shop-events"]);
for (const packaging of [dev, prod, namedBus]) packaging.catch(() => {});

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
  assert.deepEqual(cors.AllowHeaders, ["content-type", "token", "accept-language"]);
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

  // @middy/ssm fetches with GetParameters (WithDecryption), never by path.
  assert.deepEqual(ssm?.Action, ["ssm:GetParameters"]);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} substitution
  const secretArn = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter";
  assert.deepEqual(ssm?.Resource, { "Fn::Sub": `${secretArn}/anqicms-orders/dev/token-secret` });

  for (const statement of statements(packaged)) {
    for (const action of statement.Action) assert.ok(!action.includes("*"), `wildcard action ${action}`);
    assert.ok(!JSON.stringify(statement.Resource).includes("*"), "wildcard resource");
  }
});

test("the zip is one minified ESM bundle that Lambda loads and answers with", async (t) => {
  const packaged = await dev;
  assert.deepEqual([...packaged.zip.keys()].sort(), ["handlers/accept.js", "handlers/package.json"]);
  assert.deepEqual(JSON.parse(String(packaged.zip.get("handlers/package.json"))), { type: "module" });
  const bundle = packaged.zip.get("handlers/accept.js") as Buffer;
  assert.ok(packaged.zipBytes < 1_000_000, `zip of ${packaged.zipBytes} bytes`);
  assert.ok(bundle.toString().split("\n").length < 100, "minified");

  // Lambda's layout: /var/task/handlers/accept.js beside its package.json, no node_modules anywhere.
  const task = await mkdtemp(join(tmpdir(), "lambda-task-"));
  t.after(() => rm(task, { recursive: true, force: true }));
  await mkdir(join(task, "handlers"));
  for (const [name, data] of packaged.zip) await writeFile(join(task, name), data);
  process.env.TABLE_NAME ??= "not-reached";
  process.env.TOKEN_SECRET ??= "local-dev-secret";
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  const { handler } = await import(pathToFileURL(join(task, "handlers/accept.js")).href);
  const event = JSON.parse(await readFile(join(root, "events/accept-not-logged-in.json"), "utf8"));
  const context = { awsRequestId: "package-test", getRemainingTimeInMillis: () => 10_000 };
  const result = await handler(event, context);
  assert.equal(result.statusCode, 200);
  // No accept-language in the event: the default language, so the bundle carries the catalogue intact.
  assert.deepEqual(JSON.parse(result.body), { code: 1001, msg: "该操作需要登录，请登录后重试" });
  assert.equal(result.headers["content-language"], "zh-CN");
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} substitution
const NAMED_BUS_ARN = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/";
const busArn = (name = "") => ({
  "Fn::If": [
    "OwnEventBus",
    { "Fn::GetAtt": ["OrderEventsBus", "Arn"] },
    { "Fn::Sub": `${NAMED_BUS_ARN}${name}` },
  ],
});

test("the table's stream feeds one pipe: Order INSERTs, reshaped as OrderAccepted, to the service's bus", async () => {
  const packaged = await dev;
  const { orderAccepted } = await import("./support/pipes.ts");
  const { tableDefinition } = await import("../lib/store/table.ts");
  const table = only(packaged, "AWS::DynamoDB::Table").Properties;
  assert.deepEqual(table.StreamSpecification, { StreamViewType: "NEW_IMAGE" });
  assert.equal(tableDefinition("t").StreamSpecification?.StreamViewType, "NEW_IMAGE", "local tables too");

  const bus = only(packaged, "AWS::Events::EventBus") as Resource & { Condition?: string };
  assert.deepEqual([bus.Condition, bus.Properties], ["OwnEventBus", { Name: "anqicms-orders-dev" }]);
  assert.deepEqual(packaged.conditions.OwnEventBus, { "Fn::Equals": ["", ""] });

  const pipe = only(packaged, "AWS::Pipes::Pipe").Properties;
  assert.equal(pipe.Name, "anqicms-orders-dev-order-accepted");
  assert.deepEqual(pipe.Source, { "Fn::GetAtt": ["OrdersTable", "StreamArn"] });
  assert.deepEqual(pipe.SourceParameters, {
    DynamoDBStreamParameters: { StartingPosition: "TRIM_HORIZON" },
    FilterCriteria: { Filters: [{ Pattern: orderAccepted.filterPattern }] },
  });
  const [filter] = (pipe.SourceParameters as { FilterCriteria: { Filters: { Pattern: string }[] } })
    .FilterCriteria.Filters;
  assert.deepEqual(JSON.parse(filter?.Pattern ?? ""), {
    eventName: ["INSERT"],
    dynamodb: { NewImage: { entity: { S: ["Order"] } } },
  });
  assert.deepEqual(pipe.Target, busArn());
  assert.deepEqual(pipe.TargetParameters, {
    InputTemplate: orderAccepted.inputTemplate,
    EventBridgeEventBusParameters: { Source: "anqicms.orders", DetailType: "OrderAccepted" },
  });
  assert.equal(pipe.Enrichment, undefined);
  assert.deepEqual(pipe.RoleArn, { "Fn::GetAtt": ["OrderAcceptedPipeRole", "Arn"] });

  // Still one handler: the pipe needs no Lambda.
  assert.equal(ofType(packaged, "AWS::Lambda::Function").length, 1);
  assert.deepEqual(
    ofType(packaged, "AWS::IAM::Role").length,
    2,
    "the function's role and the pipe's, nothing else",
  );
});

test("the pipe's role: assumed by Pipes of this account only; reads that stream, puts on that bus, nothing more", async () => {
  const packaged = await dev;
  const role = packaged.resources.OrderAcceptedPipeRole as Resource;
  assert.deepEqual(role.Properties.AssumeRolePolicyDocument, {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pipes.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      },
    ],
  });
  assert.equal(role.Properties.ManagedPolicyArns, undefined);
  assert.deepEqual(role.Properties.Policies, [
    {
      PolicyName: "order-accepted-pipe",
      PolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: [
              "dynamodb:DescribeStream",
              "dynamodb:GetRecords",
              "dynamodb:GetShardIterator",
              "dynamodb:ListStreams",
            ],
            Resource: { "Fn::GetAtt": ["OrdersTable", "StreamArn"] },
          },
          { Effect: "Allow", Action: "events:PutEvents", Resource: busArn() },
        ],
      },
    },
  ]);

  // prod: its own names; a named bus: the pipe and its role point at that bus instead.
  const prodPipe = only(await prod, "AWS::Pipes::Pipe").Properties;
  assert.equal(prodPipe.Name, "anqicms-orders-prod-order-accepted");
  const named = await namedBus;
  assert.deepEqual(named.conditions.OwnEventBus, { "Fn::Equals": ["shop-events", ""] });
  assert.deepEqual(only(named, "AWS::Pipes::Pipe").Properties.Target, busArn("shop-events"));
  const namedPolicy = JSON.stringify((named.resources.OrderAcceptedPipeRole as Resource).Properties.Policies);
  assert.ok(namedPolicy.includes(JSON.stringify(busArn("shop-events"))), "PutEvents on the named bus");
});
