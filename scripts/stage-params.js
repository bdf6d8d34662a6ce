// Variable resolvers for serverless.yml (`${file(./scripts/stage-params.js):name}`): values that must
// not be wrong silently. Each throws, failing `osls package`/`deploy`, rather than fall back to a guess.
// Plain JavaScript because osls loads `file()` sources with require().

/** Stages whose CORS origins and alarm e-mail come only from the command line, never from a file. */
const FROM_COMMAND_LINE_ONLY = new Set(["prod"]);

/**
 * The commands that build a template to deploy: only these need prod's command-line values. Every
 * other command (`logs`, `info`, `remove`, `rollback`, `print`, `deploy function`...) must work during
 * an incident without them; the region is pinned for all.
 */
const BUILDS_A_TEMPLATE = new Set(["package", "deploy"]);

/**
 * The osls command being run, e.g. `deploy` or `deploy function`: the words before the first option,
 * as osls's own CLI reads them (lib/cli/resolve-input.js). A resolver's context does not carry it.
 */
function oslsCommand(argv = process.argv.slice(2)) {
  const firstOption = argv.findIndex((arg) => arg.startsWith("-"));
  return argv.slice(0, firstOption === -1 ? undefined : firstOption).join(" ");
}

/** Whether this run builds a template to deploy, which must carry real values. */
const buildsATemplate = () => BUILDS_A_TEMPLATE.has(oslsCommand());

/** An error osls prints as the message alone: a stack trace here would only bury the instruction. */
function refuse(message) {
  const error = new Error(message);
  error.stack = message;
  return error;
}

/** The value of `--param="name=value"` on the command line, if given. */
function commandLineParam(options, name) {
  const given = [options.param ?? []].flat();
  for (const item of given) {
    const [key, ...value] = String(item).split("=");
    if (key === name) return value.join("=").trim();
  }
  return undefined;
}

async function stageParam({ options, resolveVariable }, name) {
  const stage = await resolveVariable("sls:stage");
  const fromCommandLine = commandLineParam(options, name);
  if (fromCommandLine) return { stage, value: fromCommandLine };
  if (FROM_COMMAND_LINE_ONLY.has(stage)) return { stage, value: "" };
  return { stage, value: String((await resolveVariable(`param:${name}, ''`)) ?? "").trim() };
}

/**
 * `https://a.example,https://b.example` as a list; every entry a bare origin, never `*`. None (prod
 * without --param) for a command that deploys nothing: an empty list, which such a command never uses.
 */
export async function corsOrigins(context) {
  const { stage, value } = await stageParam(context, "corsOrigins");
  const origins = value
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length === 0 && buildsATemplate()) {
    throw refuse(
      `Stage ${stage} needs its browser origins: --param="corsOrigins=https://shop.example,https://www.shop.example"`,
    );
  }
  for (const origin of origins) {
    let url;
    try {
      url = new URL(origin);
    } catch {
      throw refuse(`corsOrigins: ${origin} is not a URL`);
    }
    const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
    if (url.origin !== origin || (url.protocol !== "https:" && !(local && url.protocol === "http:"))) {
      throw refuse(`corsOrigins: ${origin} must be an origin like https://shop.example (no path, no *)`);
    }
    if (FROM_COMMAND_LINE_ONLY.has(stage) && local) {
      throw refuse(`corsOrigins: ${origin} is a local origin, not allowed on ${stage}`);
    }
  }
  return origins;
}

/**
 * The same origins as one comma-separated string, for the function's CORS_ORIGINS: a request whose token
 * is a cookie is accepted from them (lib/http/authenticate.ts).
 */
export async function corsOriginsText(context) {
  return (await corsOrigins(context)).join(",");
}

/**
 * Who the alarms e-mail; required on the command line to package or deploy prod, optional elsewhere
 * (empty: none).
 */
export async function alarmEmail(context) {
  const { stage, value } = await stageParam(context, "alarmEmail");
  if (value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
    throw refuse(`alarmEmail: ${value} is not an e-mail address`);
  if (!value && FROM_COMMAND_LINE_ONLY.has(stage) && buildsATemplate()) {
    throw refuse(`Stage ${stage} needs someone to alarm: --param="alarmEmail=oncall@shop.example"`);
  }
  return value;
}

/** An IAM role or user, as aws:PrincipalArn names it (a role's session is named by its role). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/**
 * Who may put events with the service's source on its bus (OrderEventsBusPolicy): the pipe's role,
 * and the principals of params.<stage>.orderEventReplayers or --param, each an IAM role or user ARN.
 */
export async function orderEventPublishers({ options, resolveVariable }) {
  const value =
    commandLineParam(options, "orderEventReplayers") ||
    String((await resolveVariable("param:orderEventReplayers, ''")) ?? "").trim();
  const replayers = value
    .split(",")
    .map((arn) => arn.trim())
    .filter(Boolean);
  for (const arn of replayers) {
    if (!PRINCIPAL_ARN.test(arn)) {
      throw refuse(
        `orderEventReplayers: ${arn} is not an IAM role or user ARN (arn:aws:iam::123456789012:role/oncall)`,
      );
    }
  }
  return [{ "Fn::GetAtt": ["OrderAcceptedPipeRole", "Arn"] }, ...replayers];
}

/** The message catalogue's languages (lib/i18n/messages.ts LANGUAGES; tests/serverless-package.test.ts keeps them equal). */
const LANGUAGES = ["zh-CN", "zh-TW", "en-US"];

/**
 * The site's language as deployed (SITE_LANGUAGE): params.<stage>.siteLanguage or --param, spelt exactly
 * as a catalogue. Anything else stops the deploy; the handler would refuse it at every cold start.
 */
export async function siteLanguage({ options, resolveVariable }) {
  const value =
    commandLineParam(options, "siteLanguage") ||
    String((await resolveVariable("param:siteLanguage, 'zh-CN'")) ?? "").trim();
  if (!LANGUAGES.includes(value)) {
    throw refuse(`siteLanguage: ${value || '""'} must be one of ${LANGUAGES.join(", ")}`);
  }
  return value;
}

/**
 * The stage's pinned region (params.<stage>.region). A stage without one (a typo, a renamed stage) or
 * a `--region` that disagrees stops the deploy: either would create a second, empty stack and table.
 */
export async function region({ options, resolveVariable }) {
  const stage = await resolveVariable("sls:stage");
  const pinned = String((await resolveVariable("param:region, ''")) ?? "");
  if (!pinned) {
    throw refuse(`Stage ${stage} has no pinned region: declare params.${stage}.region in serverless.yml`);
  }
  if (options.region && options.region !== pinned) {
    throw refuse(`Stage ${stage} lives in ${pinned}; --region ${options.region} would create a second stack`);
  }
  return pinned;
}
