// Where a container's token secrets come from, by its config.
import { DEFAULT_REFRESH, fixedSecrets, refreshingSecrets, type SecretSource } from "../auth/secrets.ts";
import { environmentCredentials } from "../aws/credentials.ts";
import { parameterReader } from "../aws/ssm-parameter.ts";
import type { Config } from "../config.ts";
import { logger } from "../log.ts";

/** TOKEN_SECRET locally; deployed, the SecureString named by TOKEN_SECRET_PARAMETER, read on demand. */
export function secretsFromConfig(config: Config): SecretSource {
  if (config.tokenSecret) return fixedSecrets(config.tokenSecret);
  const name = config.tokenSecretParameter;
  if (!name) throw new Error("Set TOKEN_SECRET (local) or TOKEN_SECRET_PARAMETER (deployed)");
  const region = process.env.AWS_REGION;
  if (!region) throw new Error("AWS_REGION is unset: needed to read TOKEN_SECRET_PARAMETER");
  return refreshingSecrets(parameterReader({ name, region, credentials: environmentCredentials }), {
    ...DEFAULT_REFRESH,
    onFailure: (error, keptLastGood) => logger.warn("token secret fetch failed", { error, keptLastGood }),
  });
}
