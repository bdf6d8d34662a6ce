// `osls package` for real, offline: the CloudFormation it writes is what a deploy creates, and the zip
// is what Lambda runs. IAM is checked against the DynamoDB calls the handler's own code makes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire, findSourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { formatMessage, LANGUAGES } from "../lib/i18n/messages.ts";
import { bundle } from "../scripts/bundle.ts";
import { readZip } from "./support/zip.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const osls = createRequire(import.meta.url).resolve("osls/bin/serverless.js");

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  Condition?: string;
};
interface Packaged {
  resources: Record<string, Resource>;
  conditions: Record<string, unknown>;
  outputs: Record<string, { Value: unknown }>;
  /** The stack policy osls sets on deploy (it is not part of the template). */
  stackPolicy: unknown;
  region: string;
  zip: Map<string, Buffer>;
  zipBytes: number;
}

/** What prod is packaged with: it takes both only from the command line. */
const PROD_PARAMS = [
  "--param=corsOrigins=https://shop.example, https://www.shop.example",
  "--param=alarmEmail=oncall@shop.example",
];

// osls always writes the template into <service>/.serverless before moving it to --package, so two
// packagings of one folder (two stages here, or two test runs) would swap templates. Each packages
// its own folder of links to the project instead.
const LINKED = ["package.json", "tsconfig.json", "handlers", "lib", "scripts", "node_modules"];

/** A folder of links to the project to run osls in; removed by the caller. */
async function serviceFolder(stage: string): Promise<string> {
  const service = await mkdtemp(join(tmpdir(), `osls-service-${stage}-`));
  await copyFile(join(root, "serverless.yml"), join(service, "serverless.yml")); // osls wants a real file
  for (const name of LINKED) await symlink(join(root, name), join(service, name));
  return service;
}

/** Runs `osls <args>` in `service`, with no AWS credentials: only what works offline can succeed. */
function runOsls(service: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_")));
  return promisify(execFile)(process.execPath, [osls, ...args], {
    cwd: service,
    env: {
      ...env,
      ...extraEnv,
      AWS_CONFIG_FILE: join(service, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(service, "no-aws-credentials"),
      ESBUILD_WORK_FOLDER: ".esbuild", // inside the folder, whoever runs the test
    },
  });
}

async function packageStage(stage: string, params: string[] = []): Promise<Packaged> {
  const service = await serviceFolder(stage);
  try {
    const out = join(service, "out");
    await runOsls(service, ["package", "--stage", stage, "--package", out, ...params]);
    const template = JSON.parse(
      await readFile(join(out, "cloudformation-template-update-stack.json"), "utf8"),
    );
    const state = JSON.parse(await readFile(join(out, "serverless-state.json"), "utf8"));
    const zipFile = await readFile(join(out, "anqicms-orders.zip"));
    return {
      resources: template.Resources,
      conditions: template.Conditions ?? {},
      outputs: template.Outputs ?? {},
      stackPolicy: state.service.provider.stackPolicy,
      region: state.service.provider.region,
      zip: readZip(zipFile),
      zipBytes: zipFile.length,
    };
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

// The stages package at once, each in its own folder; a failure surfaces in the tests awaiting it.
const dev = packageStage("dev");
const prod = packageStage("prod", PROD_PARAMS);
// OrderAccepted to a bus the service does not own (params.eventBusName).
const namedBus = packageStage("dev", ["--param=eventBusName=shop-events"]);
const prodWithoutOrigins = packageStage("prod", PROD_PARAMS.slice(1));
const prodElsewhere = packageStage("prod", [...PROD_PARAMS, "--region", "us-east-1"]);
const renamedStage = packageStage("production", PROD_PARAMS);
/** `osls <command> --stage prod` without prod's command-line values; its stdout (the config, for print). */
async function prodWithoutParams(command: string[]): Promise<string> {
  const service = await serviceFolder("prod");
  try {
    return (await runOsls(service, [...command, "--stage", "prod"])).stdout;
  } finally {
    await rm(service, { recursive: true, force: true });
  }
}
// What an operator runs during an incident, offline here: print resolves the whole configuration.
const printProd = prodWithoutParams(["print", "--format", "json"]);
// deploy resolves the configuration before any AWS call, so its refusal needs no account.
const deployProdWithoutParams = prodWithoutParams(["deploy"]);
const printProdElsewhere = prodWithoutParams(["print", "--region", "us-east-1"]);
/** `osls print` of a stage with `params`: its resolved configuration, offline and without a bundle. */
async function printStage(stage: string, params: string[]): Promise<string> {
  const service = await serviceFolder(stage);
  try {
    return (await runOsls(service, ["print", "--format", "json", "--stage", stage, ...params])).stdout;
  } finally {
    await rm(service, { recursive: true, force: true });
  }
}
const printTraditional = printStage("dev", ["--param=siteLanguage=zh-TW"]);
const printMisspelt = printStage("dev", ["--param=siteLanguage=zh-tw"]);
const refusals = [prodWithoutOrigins, prodElsewhere, renamedStage];
for (const run of [printProd, deployProdWithoutParams, printProdElsewhere, printTraditional, printMisspelt])
  run.catch(() => {});
for (const packaging of [dev, prod, namedBus, ...refusals]) packaging.catch(() => {});

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
      STAGE: "dev",
      SITE_LANGUAGE: "zh-CN",
      // A cookie token counts from the stage's own CORS origins (docs/accept.md, cross-site requests).
      CORS_ORIGINS: "http://localhost:3000,http://127.0.0.1:3000",
      NODE_OPTIONS: "--enable-source-maps",
    },
  });
  assert.equal(packaged.resources.AcceptLogGroup?.Properties.RetentionInDays, 14);
  assert.equal(packaged.resources.HttpApiLogGroup?.Properties.RetentionInDays, 14, "access logs");

  const cors = only(packaged, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration as Record<
    string,
    string[]
  >;
  assert.deepEqual(cors.AllowHeaders, ["content-type", "token", "accept-language"]);
  assert.deepEqual(cors.ExposeHeaders, ["update-token"]);
  assert.ok(!cors.AllowOrigins?.includes("*"), "origins are listed, not *");
  assert.deepEqual(cors.AllowOrigins, ["http://localhost:3000", "http://127.0.0.1:3000"]);
  const prodCors = only(await prod, "AWS::ApiGatewayV2::Api").Properties.CorsConfiguration;
  assert.deepEqual((prodCors as Record<string, string[]>).AllowOrigins, [
    "https://shop.example",
    "https://www.shop.example",
  ]);
  const prodFn = only(await prod, "AWS::Lambda::Function").Properties;
  assert.equal(
    (prodFn.Environment as { Variables: Record<string, string> }).Variables.CORS_ORIGINS,
    "https://shop.example,https://www.shop.example",
  );
});

test("SITE_LANGUAGE deploys with the stack: zh-CN by default, a stage's or --param's language, spelt exactly", async () => {
  const variables = (packaged: Packaged) =>
    (only(packaged, "AWS::Lambda::Function").Properties.Environment as { Variables: Record<string, string> })
      .Variables;
  assert.equal(variables(await dev).SITE_LANGUAGE, "zh-CN");
  assert.equal(variables(await prod).SITE_LANGUAGE, "zh-CN");
  assert.equal(JSON.parse(await printTraditional).provider.environment.SITE_LANGUAGE, "zh-TW");
  // The same list as the handler's (lib/config.ts), which would refuse anything else at every cold start.
  await refused(printMisspelt, new RegExp(`siteLanguage: zh-tw must be one of ${LANGUAGES.join(", ")}`));
});

test("prod refuses to package without its CORS origins on the command line", async () => {
  await refused(
    prodWithoutOrigins,
    /Stage prod needs its browser origins: --param="corsOrigins=https:\/\/shop\.example,https:\/\/www\.shop\.example"/,
  );
});

test("prod needs its command-line values only to package or deploy: print runs without them, region pinned", async () => {
  await refused(
    deployProdWithoutParams,
    /Stage prod needs its browser origins: --param="corsOrigins=[^"]+"[\s\S]*Stage prod needs someone to alarm: --param="alarmEmail=oncall@shop\.example"/,
  );
  const config = JSON.parse(await printProd);
  assert.equal(config.provider.region, "ap-east-1");
  assert.deepEqual(config.provider.httpApi.cors.allowedOrigins, [], "no origins: nothing is deployed");
  assert.equal(config.custom.alarmEmail, "");
  assert.equal(config.custom.tableName, "anqicms-orders-prod");
  await refused(
    printProdElsewhere,
    /Stage prod lives in ap-east-1; --region us-east-1 would create a second stack/,
  );
});

test("the table is lib/store/table.ts's: pk HASH, sk RANGE, on demand, PITR, SSE, the lookup index only", async () => {
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
  // One sparse index, keys only (quotations by product, vouchers by code: docs/data-model.md).
  assert.deepEqual(props.GlobalSecondaryIndexes, local.GlobalSecondaryIndexes);
  assert.deepEqual(
    (props.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown }[]).map((index) => [
      index.IndexName,
      index.Projection,
    ]),
    [["lookup", { ProjectionType: "KEYS_ONLY" }]],
  );
  assert.equal(props.LocalSecondaryIndexes, undefined);
  assert.deepEqual(props.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  assert.deepEqual(props.SSESpecification, { SSEEnabled: true });
  assert.equal(props.DeletionProtectionEnabled, false);
  assert.equal(table.DeletionPolicy, "Delete");

  const prodTable = only(await prod, "AWS::DynamoDB::Table");
  assert.equal(prodTable.Properties.TableName, "anqicms-orders-prod");
  assert.equal(prodTable.Properties.DeletionProtectionEnabled, true);
  assert.equal(prodTable.DeletionPolicy, "Retain");
  assert.equal((prodTable as { UpdateReplacePolicy?: string }).UpdateReplacePolicy, "Retain");
});

test("a stack policy lets updates change anything but replace or delete the table", async () => {
  for (const packaged of [await dev, await prod]) {
    assert.deepEqual(packaged.stackPolicy, [
      { Effect: "Allow", Principal: "*", Action: ["Update:*"], Resource: "*" },
      {
        Effect: "Deny",
        Principal: "*",
        Action: ["Update:Replace", "Update:Delete"],
        Resource: "LogicalResourceId/OrdersTable",
      },
    ]);
    assert.ok(packaged.resources.OrdersTable, "the policy names the table's logical id");
  }
});

test("IAM grants exactly the DynamoDB actions the handler calls, on the table and its index only, and the one secret", async () => {
  const packaged = await dev;
  const [dynamodb, lookup, ssm, ...others] = statements(packaged);
  assert.deepEqual(others, []);
  // Query on the lookup index, nothing else (quotations by product, vouchers by code).
  assert.deepEqual(lookup, {
    Action: ["dynamodb:Query"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} substitution
    Resource: { "Fn::Sub": "${OrdersTable.Arn}/index/lookup" },
  });

  assert.deepEqual([...(dynamodb?.Action ?? [])].sort(), [
    "dynamodb:DeleteItem",
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

/** The deployable bundle's budget (rule 10, docs/accept.md). */
const MAX_BUNDLE_BYTES = 300 * 1024;

test("the zip is one minified ESM bundle within the 300 KB budget, the one the bench measures", async () => {
  const packaged = await dev;
  assert.deepEqual([...packaged.zip.keys()].sort(), [
    "handlers/accept.js",
    "handlers/accept.js.map",
    "handlers/package.json",
  ]);
  assert.deepEqual(JSON.parse(String(packaged.zip.get("handlers/package.json"))), { type: "module" });
  const code = packaged.zip.get("handlers/accept.js") as Buffer;
  assert.ok(code.toString().split("\n").length < 100, "minified");
  assert.ok(
    code.length <= MAX_BUNDLE_BYTES,
    `the bundle is ${code.length} bytes, over the budget of ${MAX_BUNDLE_BYTES}: see BENCHMARKS.md`,
  );
  // docs/operations.md's "about N KB" for the bundle and its map stay within 3 % of the packaged files.
  const operations = await readFile(new URL("../docs/operations.md", import.meta.url), "utf8");
  const map = packaged.zip.get("handlers/accept.js.map") as Buffer;
  for (const [said, bytes] of [
    [/one minified ESM bundle \(about (\d+) KB/, code.length],
    [/no source text; about (\d+) KB/, map.length],
  ] as const) {
    const kb = Number(operations.match(said)?.[1]);
    assert.ok(
      Math.abs(kb * 1024 - bytes) <= bytes * 0.03,
      `docs/operations.md says ${kb} KB, the file is ${bytes} bytes`,
    );
  }
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

/**
 * The zip unpacked as Lambda lays it out: /var/task/handlers/accept.js beside its package.json, no
 * node_modules anywhere. The folder is removed after the test.
 */
async function unpackAsLambda(t: TestContext, packaged: Packaged, prefix: string): Promise<string> {
  const task = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(task, { recursive: true, force: true }));
  await mkdir(join(task, "handlers"));
  for (const [name, data] of packaged.zip) await writeFile(join(task, name), data);
  return task;
}

test("Lambda's environment alone loads the zip, and importing it touches no network", async (t) => {
  const packaged = await dev;
  const task = await unpackAsLambda(t, packaged, "lambda-task-");
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
    POWERTOOLS_METRICS_DISABLED: "true", // EMF would share stdout with the answers
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
        ...events.map((name) => (name.endsWith(".json") ? name : join(root, `events/${name}.json`))),
      ],
      { cwd: task, env },
    );

  // No token, a language named: answered without the secret or the site's settings, so without any
  // network use at all, import included.
  const event = JSON.parse(await readFile(join(root, "events/accept-not-logged-in.json"), "utf8"));
  event.headers["accept-language"] = "zh-TW,zh;q=0.8";
  await writeFile(join(task, "anonymous.json"), JSON.stringify(event));
  const anonymous = await run(join(task, "anonymous.json"));
  assert.equal(anonymous.stderr, "");
  const [answer] = JSON.parse(anonymous.stdout);
  assert.equal(answer.statusCode, 200);
  assert.deepEqual(JSON.parse(answer.body), {
    code: 1001,
    msg: formatMessage("zh-TW", "auth.not_logged_in"),
  });
  assert.equal(answer.headers["content-language"], "zh-TW");

  // A token needs the secret: the one network use is the SSM endpoint (refused here, hence a clean 503).
  // This also shows that the guard sees the bundle's connections.
  const withToken = await run("accept-interface-example");
  assert.deepEqual(withToken.stderr.trim().split("\n"), ["network: connect ssm.us-east-1.amazonaws.com:443"]);
  const [refused] = JSON.parse(withToken.stdout);
  assert.equal(refused.statusCode, 503);
  // No language named and no settings read yet: the default, zh-CN.
  assert.deepEqual(JSON.parse(refused.body), { code: -1, msg: formatMessage("zh-CN", "service.busy") });
});

test("a token secret shorter than AnqiCMS's 32 characters stops the zip at cold start and osls's local runs", async (t) => {
  const packaged = await dev;
  const task = await unpackAsLambda(t, packaged, "lambda-weak-");
  const weak =
    /TOKEN_SECRET is 1 bytes long, shorter than the 32 AnqiCMS generates: use the AnqiCMS site's own token secret/;
  // The review's finding: the bundle started, and accepted tokens, with a one-character TOKEN_SECRET.
  const coldStart = promisify(execFile)(
    process.execPath,
    [join(root, "tests/support/invoke-bundle.ts"), join(task, "handlers/accept.js")],
    {
      cwd: task,
      env: {
        PATH: "/usr/bin:/bin",
        TABLE_NAME: "anqicms-orders-dev",
        TOKEN_SECRET: "x",
        AWS_REGION: "us-east-1",
      },
    },
  );
  await assert.rejects(coldStart, (error: { stderr: string }) => weak.test(error.stderr));

  // `osls invoke local` (and `osls offline`) package the same bundle and run it with the shell's
  // TOKEN_SECRET: scripts/local-env.ts refuses a weak one before anything runs.
  const service = await serviceFolder("dev");
  t.after(() => rm(service, { recursive: true, force: true }));
  const event = join(root, "events/accept-not-logged-in.json");
  const invoke = runOsls(service, ["invoke", "local", "-f", "accept", "--path", event], {
    TABLE_NAME: "anqicms-orders-dev",
    TOKEN_SECRET: "x",
  });
  await assert.rejects(invoke, (error: { stdout: string; stderr: string }) =>
    weak.test(`${error.stdout}${error.stderr}`),
  );
});

test("stack traces point at lib/: the bundle's source map maps its code back to the sources", async (t) => {
  const packaged = await dev;
  const task = await unpackAsLambda(t, packaged, "lambda-map-");
  process.env.TABLE_NAME ??= "not-reached";
  process.env.TOKEN_SECRET ??= "local-dev-secret-not-for-any-deploy";
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  process.setSourceMapsEnabled(true); // what NODE_OPTIONS=--enable-source-maps does in Lambda
  const bundleUrl = pathToFileURL(join(task, "handlers/accept.js")).href;
  await import(bundleUrl);
  const bundle = packaged.zip.get("handlers/accept.js") as Buffer;
  // Stack traces point at lib/: the bundle's code for a data fault maps back to lib/errors.ts.
  assert.match(bundle.toString(), /\/\/# sourceMappingURL=accept\.js\.map\n?$/);
  const map = findSourceMap(bundleUrl);
  assert.ok(map, "Node found the source map beside the bundle");
  const lines = bundle.toString().split("\n");
  const line = lines.findIndex((text) => text.includes("is malformed: "));
  const entry = map.findEntry(line, (lines[line] as string).indexOf("is malformed: "));
  assert.ok(
    "originalSource" in entry && entry.originalSource.endsWith("/lib/errors.ts"),
    JSON.stringify(entry),
  );
});

type Alarm = Record<string, unknown> & { AlarmName: string; Threshold: number };

/** Each alarm as: its metric(s) (namespace/name and dimension names), statistic, threshold, actions. */
function alarmsOf(packaged: Packaged) {
  const topic = { Ref: "AlarmTopic" };
  return Object.fromEntries(
    Object.entries(packaged.resources)
      .filter(([, resource]) => resource.Type === "AWS::CloudWatch::Alarm")
      .map(([id, resource]) => {
        const alarm = resource.Properties as Alarm;
        assert.deepEqual(alarm.AlarmActions, [topic], `${id} notifies the topic`);
        assert.deepEqual(alarm.OKActions, [topic], `${id} says when it is over`);
        assert.equal(alarm.TreatMissingData, "notBreaching");
        const metric = (m: Record<string, unknown>) => {
          const dimensions = (m.Dimensions as { Name: string; Value: unknown }[]).map((d) => d.Name);
          return `${m.Namespace}/${m.MetricName}[${dimensions.join(",")}]`;
        };
        const metrics = alarm.Metrics as
          | { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } }[]
          | undefined;
        const watched = metrics
          ? metrics.map((m) =>
              m.Expression ? `${m.Id}=${m.Expression}` : metric(m.MetricStat?.Metric ?? {}),
            )
          : [metric(alarm)];
        const statistic = alarm.ExtendedStatistic ?? alarm.Statistic ?? "expression";
        return [id, `${watched.join(" ; ")} ${statistic} >= ${alarm.Threshold}`];
      }),
  );
}

test("alarms: API 5xx and 4xx share, 1001 share, Lambda errors, throttles and p99, DynamoDB throttles and system errors, pipe failures, stall and dead letters", async () => {
  const packaged = await prod;
  const own = "AnqiCMS/OrderAccept";
  const dims = "[service,stage]";
  const systemErrors = ["getItem", "query", "updateItem", "transactWrite"].map(
    () => "AWS/DynamoDB/SystemErrors[TableName,Operation]",
  );
  assert.deepEqual(alarmsOf(packaged), {
    Api5xxAlarm: "AWS/ApiGateway/5xx[ApiId,Stage] Sum >= 5",
    Api4xxShareAlarm:
      "share=IF(requests >= 20, 100 * FILL(clientErrors, 0) / requests, 0) ; " +
      "AWS/ApiGateway/4xx[ApiId,Stage] ; AWS/ApiGateway/Count[ApiId,Stage] expression >= 10",
    NotLoggedInShareAlarm:
      "share=IF(requests >= 20, 100 * FILL(notLoggedIn, 0) / requests, 0) ; " +
      `${own}/NotLoggedIn${dims} ; ${own}/Requests${dims} expression >= 50`,
    LambdaErrorsAlarm: "AWS/Lambda/Errors[FunctionName] Sum >= 1",
    LambdaThrottlesAlarm: "AWS/Lambda/Throttles[FunctionName] Sum >= 1",
    LambdaDurationP99Alarm: "AWS/Lambda/Duration[FunctionName] p99 >= 5000",
    DynamoDbThrottlesAlarm:
      "throttled=FILL(reads, 0) + FILL(writes, 0) ; AWS/DynamoDB/ReadThrottleEvents[TableName] ; " +
      "AWS/DynamoDB/WriteThrottleEvents[TableName] expression >= 5",
    DynamoDbSystemErrorsAlarm:
      "errors=FILL(getItem, 0) + FILL(query, 0) + FILL(updateItem, 0) + FILL(transactWrite, 0) ; " +
      `${systemErrors.join(" ; ")} expression >= 3`,
    DataFaultsAlarm: `${own}/DataFaults${dims} Sum >= 1`,
    PipeFailuresAlarm:
      "failures=FILL(failed, 0) + FILL(partiallyFailed, 0) + FILL(timedOut, 0) + FILL(throttled, 0) ; " +
      ["ExecutionFailed", "ExecutionPartiallyFailed", "ExecutionTimeout", "ExecutionThrottled"]
        .map((name) => `AWS/EventBridge/Pipes/${name}[PipeName]`)
        .join(" ; ") +
      " expression >= 1",
    PipeStalledAlarm:
      "stalled=IF((FILL(accepted, 0) - FILL(replays, 0)) >= 1 AND FILL(invocations, 0) == 0, 1, 0) ; " +
      `${own}/Accepted${dims} ; ${own}/Replays${dims} ; AWS/EventBridge/Pipes/Invocations[PipeName] expression >= 1`,
    OrderAcceptedDeadLettersAlarm: "AWS/SQS/ApproximateNumberOfMessagesVisible[QueueName] Maximum >= 1",
  });

  // Our own metrics are read with exactly the dimensions lib/metrics.ts publishes for this stage.
  const { METRICS_NAMESPACE, SERVICE_NAME } = await import("../lib/metrics.ts");
  const faults = packaged.resources.DataFaultsAlarm?.Properties as Alarm;
  assert.equal(faults.Namespace, METRICS_NAMESPACE);
  assert.deepEqual(faults.Dimensions, [
    { Name: "service", Value: SERVICE_NAME },
    { Name: "stage", Value: "prod" },
  ]);
  // The AWS metrics point at this stack's function, API and table.
  const errors = packaged.resources.LambdaErrorsAlarm?.Properties as Alarm;
  assert.deepEqual(errors.Dimensions, [{ Name: "FunctionName", Value: { Ref: "AcceptLambdaFunction" } }]);
  const api = packaged.resources.Api5xxAlarm?.Properties as Alarm;
  assert.deepEqual(api.Dimensions, [
    { Name: "ApiId", Value: { Ref: "HttpApi" } },
    { Name: "Stage", Value: "$default" },
  ]);
  const systemErrorOps = (
    (packaged.resources.DynamoDbSystemErrorsAlarm as Resource).Properties.Metrics as {
      MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } };
    }[]
  ).flatMap((m) => m.MetricStat?.Metric.Dimensions ?? []);
  assert.deepEqual(
    systemErrorOps.filter((d) => d.Name === "Operation").map((d) => d.Value),
    ["GetItem", "Query", "UpdateItem", "TransactWriteItems"],
  );
  assert.ok(
    systemErrorOps.every(
      (d) => d.Name !== "TableName" || JSON.stringify(d.Value) === '{"Ref":"OrdersTable"}',
    ),
  );

  // The pipe's metrics are this stack's pipe's, summed per 5 minutes, two periods running.
  const pipeAlarm = (packaged.resources.PipeFailuresAlarm as Resource).Properties;
  const pipeMetrics = (
    pipeAlarm.Metrics as { MetricStat?: { Metric: { Dimensions: unknown }; Period: number; Stat: string } }[]
  ).flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
  assert.equal(pipeMetrics.length, 4);
  for (const stat of pipeMetrics) {
    assert.deepEqual(stat.Metric.Dimensions, [{ Name: "PipeName", Value: { Ref: "OrderAcceptedPipe" } }]);
    assert.deepEqual([stat.Period, stat.Stat], [300, "Sum"]);
  }
  // One failing period pages: a stopped pipe sends no more failure metrics after it.
  assert.deepEqual([pipeAlarm.EvaluationPeriods, pipeAlarm.DatapointsToAlarm], [1, 1]);
  assert.equal(pipeAlarm.AlarmName, "anqicms-orders-prod-pipe-failures");

  // The topic's one subscriber is the e-mail given on the command line.
  assert.deepEqual(packaged.resources.AlarmEmailSubscription?.Properties, {
    TopicArn: { Ref: "AlarmTopic" },
    Protocol: "email",
    Endpoint: "oncall@shop.example",
  });
  assert.equal(packaged.resources.AlarmEmailSubscription?.Condition, "HasAlarmEmail");
  // dev has the topic and alarms, and no subscriber unless one is given.
  assert.deepEqual((await dev).conditions.HasAlarmEmail, { "Fn::Not": [{ "Fn::Equals": ["", ""] }] });
});

/** A watched metric as CloudWatch names it: namespace, metric name and each dimension's value. */
type Watched = { namespace: string; metric: string; dimensions: Record<string, unknown> };

/** Every metric an alarm reads: its own, or each MetricStat of its metric math. */
function watchedBy(alarm: Record<string, unknown>): Watched[] {
  const watched = (metric: Record<string, unknown>): Watched => ({
    namespace: metric.Namespace as string,
    metric: metric.MetricName as string,
    dimensions: Object.fromEntries(
      (metric.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]),
    ),
  });
  const metrics = alarm.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[] | undefined;
  return metrics
    ? metrics.flatMap((m) => (m.MetricStat ? [watched(m.MetricStat.Metric)] : []))
    : [watched(alarm)];
}

test("every alarm reads the metrics AWS and lib/metrics.ts publish, with their exact dimensions", async () => {
  const packaged = await prod;
  const { METRICS_NAMESPACE, SERVICE_NAME } = await import("../lib/metrics.ts");
  // What each namespace really publishes: HTTP APIs by ApiId and Stage (`5xx`, `4xx`, `Count`), Pipes
  // by PipeName, SQS by QueueName, Lambda by FunctionName, DynamoDB by TableName (and Operation for
  // SystemErrors), our EMF by service and stage.
  const api = { ApiId: { Ref: "HttpApi" }, Stage: "$default" };
  const fn = { FunctionName: { Ref: "AcceptLambdaFunction" } };
  const table = { TableName: { Ref: "OrdersTable" } };
  const pipe = { PipeName: { Ref: "OrderAcceptedPipe" } };
  const own = { service: SERVICE_NAME, stage: "prod" };
  const m = (namespace: string, metric: string, dimensions: Record<string, unknown>): Watched => ({
    namespace,
    metric,
    dimensions,
  });
  const systemErrors = (operation: string) =>
    m("AWS/DynamoDB", "SystemErrors", { ...table, Operation: operation });
  const EXPECTED: Record<string, Watched[]> = {
    Api5xxAlarm: [m("AWS/ApiGateway", "5xx", api)],
    Api4xxShareAlarm: [m("AWS/ApiGateway", "4xx", api), m("AWS/ApiGateway", "Count", api)],
    NotLoggedInShareAlarm: [m(METRICS_NAMESPACE, "NotLoggedIn", own), m(METRICS_NAMESPACE, "Requests", own)],
    LambdaErrorsAlarm: [m("AWS/Lambda", "Errors", fn)],
    LambdaThrottlesAlarm: [m("AWS/Lambda", "Throttles", fn)],
    LambdaDurationP99Alarm: [m("AWS/Lambda", "Duration", fn)],
    DynamoDbThrottlesAlarm: [
      m("AWS/DynamoDB", "ReadThrottleEvents", table),
      m("AWS/DynamoDB", "WriteThrottleEvents", table),
    ],
    DynamoDbSystemErrorsAlarm: ["GetItem", "Query", "UpdateItem", "TransactWriteItems"].map(systemErrors),
    DataFaultsAlarm: [m(METRICS_NAMESPACE, "DataFaults", own)],
    PipeFailuresAlarm: [
      "ExecutionFailed",
      "ExecutionPartiallyFailed",
      "ExecutionTimeout",
      "ExecutionThrottled",
    ].map((name) => m("AWS/EventBridge/Pipes", name, pipe)),
    PipeStalledAlarm: [
      m(METRICS_NAMESPACE, "Accepted", own),
      m(METRICS_NAMESPACE, "Replays", own),
      m("AWS/EventBridge/Pipes", "Invocations", pipe),
    ],
    OrderAcceptedDeadLettersAlarm: [
      m("AWS/SQS", "ApproximateNumberOfMessagesVisible", {
        QueueName: { "Fn::GetAtt": ["OrderAcceptedDeadLetterQueue", "QueueName"] },
      }),
    ],
  };
  const alarms = Object.entries(packaged.resources).filter(
    ([, resource]) => resource.Type === "AWS::CloudWatch::Alarm",
  );
  assert.deepEqual(alarms.map(([id]) => id).sort(), Object.keys(EXPECTED).sort(), "one row per alarm");
  for (const [id, alarm] of alarms) {
    assert.deepEqual(watchedBy(alarm.Properties), EXPECTED[id], id);
  }
  assert.equal(METRICS_NAMESPACE, "AnqiCMS/OrderAccept");
});

test("the stall alarm: new orders (Accepted minus Replays) with no invocation of this stack's pipe in 15 minutes", async () => {
  const alarm = (await prod).resources.PipeStalledAlarm?.Properties as Alarm;
  assert.equal(alarm.AlarmName, "anqicms-orders-prod-pipe-stalled");
  const metrics = alarm.Metrics as {
    Id: string;
    Expression?: string;
    ReturnData?: boolean;
    MetricStat?: { Metric: Record<string, unknown>; Period: number; Stat: string };
  }[];
  const [result, ...inputs] = metrics;
  // The one returned series compares our own counts with the pipe's, missing data counted as 0.
  assert.deepEqual([result?.Id, result?.ReturnData], ["stalled", undefined]);
  assert.equal(
    result?.Expression,
    "IF((FILL(accepted, 0) - FILL(replays, 0)) >= 1 AND FILL(invocations, 0) == 0, 1, 0)",
  );
  const byId = Object.fromEntries(inputs.map((input) => [input.Id, input]));
  assert.deepEqual(Object.keys(byId), ["accepted", "replays", "invocations"]);
  for (const input of inputs) {
    assert.equal(input.ReturnData, false, input.Id);
    assert.match(result?.Expression ?? "", new RegExp(`FILL\\(${input.Id}, 0\\)`), input.Id);
    assert.deepEqual([input.MetricStat?.Period, input.MetricStat?.Stat], [900, "Sum"], input.Id);
  }
  assert.deepEqual(byId.invocations?.MetricStat?.Metric, {
    Namespace: "AWS/EventBridge/Pipes",
    MetricName: "Invocations",
    Dimensions: [{ Name: "PipeName", Value: { Ref: "OrderAcceptedPipe" } }],
  });
  for (const id of ["accepted", "replays"]) {
    assert.equal(byId[id]?.MetricStat?.Metric.Namespace, "AnqiCMS/OrderAccept", id);
  }
  assert.deepEqual(
    [alarm.EvaluationPeriods, alarm.Threshold, alarm.ComparisonOperator],
    [1, 1, "GreaterThanOrEqualToThreshold"],
  );
});

test("limits: stage throttling per stage, JSON access logs, a 6 s timeout the SDK's attempts fit in", async () => {
  const [devStage, prodStage] = [await dev, await prod].map(
    (packaged) => only(packaged, "AWS::ApiGatewayV2::Stage").Properties,
  );
  assert.deepEqual(devStage?.DefaultRouteSettings, { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
  assert.deepEqual(prodStage?.DefaultRouteSettings, { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });

  const access = prodStage?.AccessLogSettings as { Format: string; DestinationArn: unknown };
  assert.deepEqual(access.DestinationArn, { "Fn::GetAtt": ["HttpApiLogGroup", "Arn"] });
  const line = JSON.parse(access.Format); // valid JSON as a template: each line is JSON too
  assert.equal(line.requestId, "$context.requestId");
  assert.equal(line.status, "$context.status");
  assert.equal(line.integrationError, "$context.integrationErrorMessage");
  assert.equal(line.integrationRequestId, "$context.integration.requestId", "the function's request id");
  assert.ok(!access.Format.includes("sourceIp") && !access.Format.includes("userAgent"), "no personal data");
  const accessLogs = (await prod).resources.HttpApiLogGroup?.Properties;
  assert.equal(accessLogs?.RetentionInDays, 90);

  const fn = only(await prod, "AWS::Lambda::Function").Properties;
  assert.equal(fn.Timeout, 6);
  assert.equal(fn.ReservedConcurrentExecutions, undefined, "optional, unset by default");
  // One DynamoDB call with all its attempts ends before the handler's own 503 (500 ms before the deadline):
  // attempts × (connection + request timeout) + the SDK's transient backoff (≤ 50 + 100 ms).
  const { createDocumentClient } = await import("../lib/store/client.ts");
  const doc = createDocumentClient({ credentials: "environment" }); // as the handler builds it on AWS
  const attempts = await (doc.config.maxAttempts as () => Promise<number>)();
  const timeouts = await (
    doc.config.requestHandler as unknown as {
      configProvider: Promise<{ connectionTimeout: number; requestTimeout: number }>;
    }
  ).configProvider;
  const worstCall = attempts * (timeouts.connectionTimeout + timeouts.requestTimeout) + 150;
  assert.ok(worstCall <= (fn.Timeout as number) * 1000 - 500, `one call may take ${worstCall} ms`);
  doc.destroy();
});

/** Asserts packaging failed, osls saying `message`. */
async function refused(packaging: Promise<unknown>, message: RegExp) {
  await assert.rejects(packaging, (error: Error & { stdout?: string; stderr?: string }) => {
    assert.match(`${error.stdout}${error.stderr}`, message);
    return true;
  });
}

test("prod packages with its region pinned and its table name written out; a renamed stage does not package", async () => {
  assert.equal((await dev).region, "us-east-1");
  const packaged = await prod;
  assert.equal(packaged.region, "ap-east-1");
  await refused(
    prodElsewhere,
    /Stage prod lives in ap-east-1; --region us-east-1 would create a second stack/,
  );
  await refused(
    renamedStage,
    /Stage production has no pinned region: declare params\.production\.region in serverless\.yml/,
  );
  const table = only(packaged, "AWS::DynamoDB::Table").Properties;
  assert.equal(table.TableName, "anqicms-orders-prod");
  const fn = only(packaged, "AWS::Lambda::Function").Properties;
  assert.deepEqual(
    (fn.Environment as { Variables: Record<string, string> }).Variables.TABLE_NAME,
    "anqicms-orders-prod",
  );
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
  // Named by CloudFormation, so that a replacement (a new stream) deploys in one step; the name is
  // an output, and everything else refers to it by Ref.
  assert.equal(pipe.Name, undefined);
  assert.deepEqual(packaged.outputs.OrderAcceptedPipeName, { Value: { Ref: "OrderAcceptedPipe" } });
  assert.deepEqual(pipe.Source, { "Fn::GetAtt": ["OrdersTable", "StreamArn"] });
  assert.deepEqual(pipe.SourceParameters, {
    // A failing batch is halved down to the record at fault, and given up to the dead-letter queue
    // after 10 retries: no record holds up its shard (docs/operations.md#order-accepted-dead-letters).
    DynamoDBStreamParameters: {
      StartingPosition: "TRIM_HORIZON",
      OnPartialBatchItemFailure: "AUTOMATIC_BISECT",
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: -1,
      DeadLetterConfig: { Arn: { "Fn::GetAtt": ["OrderAcceptedDeadLetterQueue", "Arn"] } },
    },
    FilterCriteria: { Filters: [{ Pattern: orderAccepted.filterPattern }] },
  });
  // The dead-letter queue: encrypted, kept 14 days (SQS's longest), its URL an output.
  const queue = packaged.resources.OrderAcceptedDeadLetterQueue as Resource;
  assert.equal(queue.Type, "AWS::SQS::Queue");
  assert.deepEqual(queue.Properties, {
    QueueName: "anqicms-orders-dev-order-accepted-dlq",
    MessageRetentionPeriod: 1_209_600,
    SqsManagedSseEnabled: true,
  });
  assert.equal(ofType(packaged, "AWS::SQS::Queue").length, 1);
  assert.deepEqual(packaged.outputs.OrderAcceptedDeadLetterQueueUrl, {
    Value: { Ref: "OrderAcceptedDeadLetterQueue" },
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

test("the bus's policy: only the pipe (and named replayers) may put events with the service's source", async () => {
  const statement = (packaged: Packaged) => {
    const policy = packaged.resources.OrderEventsBusPolicy as Resource & { Condition?: string };
    assert.equal(policy?.Type, "AWS::Events::EventBusPolicy");
    assert.equal(policy.Condition, "OwnEventBus", "on the service's own bus only");
    assert.deepEqual(policy.Properties.EventBusName, { Ref: "OrderEventsBus" });
    return policy.Properties.Statement as Record<string, unknown>;
  };
  const pipeRole = { "Fn::GetAtt": ["OrderAcceptedPipeRole", "Arn"] };
  // The packaged prod template carries it: anyone else in the account is refused anqicms.orders events.
  for (const packaged of [await prod, await dev]) {
    assert.deepEqual(statement(packaged), {
      Effect: "Deny",
      Principal: "*",
      Action: "events:PutEvents",
      Resource: { "Fn::GetAtt": ["OrderEventsBus", "Arn"] },
      Condition: {
        StringEquals: { "events:source": "anqicms.orders" },
        ArnNotEquals: { "aws:PrincipalArn": [pipeRole] },
      },
    });
  }
  // The pipe puts events with exactly that source.
  const pipe = only(await prod, "AWS::Pipes::Pipe").Properties as {
    TargetParameters: { EventBridgeEventBusParameters: { Source: string } };
  };
  assert.equal(pipe.TargetParameters.EventBridgeEventBusParameters.Source, "anqicms.orders");
  // A replay role named on the command line joins the pipe; a bus the service does not own gets none.
  const oncall = "arn:aws:iam::123456789012:role/oncall";
  const withReplayer = JSON.parse(await printStage("dev", [`--param=orderEventReplayers=${oncall}`]));
  const printed = withReplayer.resources.Resources.OrderEventsBusPolicy.Properties.Statement;
  assert.deepEqual(printed.Condition.ArnNotEquals["aws:PrincipalArn"], [pipeRole, oncall]);
  // A bus the service does not own: the policy, like the bus, is conditioned away (OwnEventBus false).
  const named = await namedBus;
  assert.equal(
    (named.resources.OrderEventsBusPolicy as Resource & { Condition?: string }).Condition,
    "OwnEventBus",
  );
  assert.deepEqual(named.conditions.OwnEventBus, { "Fn::Equals": ["shop-events", ""] });
  await refused(printStage("dev", ["--param=orderEventReplayers=oncall"]), /is not an IAM role or user ARN/);
});

test("the pipe's role: assumed by Pipes of this account only; reads that stream, puts on that bus, dead-letters to its queue", async () => {
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
            Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
            Resource: { "Fn::GetAtt": ["OrdersTable", "StreamArn"] },
          },
          // IAM authorises ListStreams on no resource: alone in its statement, the one "*".
          { Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
          { Effect: "Allow", Action: "events:PutEvents", Resource: busArn() },
          {
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: { "Fn::GetAtt": ["OrderAcceptedDeadLetterQueue", "Arn"] },
          },
        ],
      },
    },
  ]);

  // prod: its own queue; a named bus: the pipe and its role point at that bus instead.
  const prodQueue = (await prod).resources.OrderAcceptedDeadLetterQueue as Resource;
  assert.equal(prodQueue.Properties.QueueName, "anqicms-orders-prod-order-accepted-dlq");
  const named = await namedBus;
  assert.deepEqual(named.conditions.OwnEventBus, { "Fn::Equals": ["shop-events", ""] });
  assert.deepEqual(only(named, "AWS::Pipes::Pipe").Properties.Target, busArn("shop-events"));
  const namedPolicy = JSON.stringify((named.resources.OrderAcceptedPipeRole as Resource).Properties.Policies);
  assert.ok(namedPolicy.includes(JSON.stringify(busArn("shop-events"))), "PutEvents on the named bus");
});
