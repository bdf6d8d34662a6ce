// Configuration, read once per container. A missing required value fails the cold start loudly.
import { weakSecret } from "./auth/secrets.ts";
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from "./i18n/messages.ts";

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`Missing required environment variable ${name}`);
  return value;
}

function optional(name: string): string | undefined {
  return process.env[name]?.trim() || undefined;
}

function positiveInt(name: string, fallback: number): number {
  const raw = optional(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** One of the catalogue's languages, spelt exactly: a deploy names the site's language, never a guess. */
function language(name: string, fallback: Language): Language {
  const raw = optional(name);
  if (raw === undefined) return fallback;
  const found = LANGUAGES.find((candidate) => candidate === raw);
  if (!found) throw new Error(`${name} must be one of ${LANGUAGES.join(", ")}`);
  return found;
}

export interface Config {
  tableName: string;
  /** Local DynamoDB endpoint; unset on AWS. */
  dynamodbEndpoint: string | undefined;
  /** Local/dev secret. Deployed, the secret comes from SSM (tokenSecretParameter). */
  tokenSecret: string | undefined;
  tokenSecretParameter: string | undefined;
  /** How long the Settings item is cached per container. */
  settingsTtlSeconds: number;
  /**
   * The site's language as deployed: answers speak it when the request names none of ours and this
   * container holds no Settings read within SETTINGS_TTL_SECONDS (docs/messages.md).
   */
  siteLanguage: Language;
  /**
   * The stage's CORS origins (CORS_ORIGINS, comma-separated, from serverless.yml): a request whose token
   * is a cookie is accepted from these origins (docs/accept.md, "Where the token is read"). Unset: none.
   */
  corsOrigins?: readonly string[] | undefined;
}

export function configFromEnvironment(): Config {
  const config: Config = {
    tableName: required("TABLE_NAME"),
    dynamodbEndpoint: optional("DYNAMODB_ENDPOINT"),
    tokenSecret: optional("TOKEN_SECRET"),
    tokenSecretParameter: optional("TOKEN_SECRET_PARAMETER"),
    settingsTtlSeconds: positiveInt("SETTINGS_TTL_SECONDS", 60),
    siteLanguage: language("SITE_LANGUAGE", DEFAULT_LANGUAGE),
    corsOrigins: (optional("CORS_ORIGINS") ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
  if (!config.tokenSecret && !config.tokenSecretParameter) {
    throw new Error("Set TOKEN_SECRET (local) or TOKEN_SECRET_PARAMETER (deployed)");
  }
  // At cold start: a container never starts with a secret anyone could guess from one of its tokens.
  const weak = config.tokenSecret && weakSecret(config.tokenSecret, "TOKEN_SECRET");
  if (weak) throw new Error(weak);
  return config;
}
