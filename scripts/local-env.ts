// osls plugin for local runs (`osls offline`, `osls invoke local`): TABLE_NAME, DYNAMODB_ENDPOINT,
// TOKEN_SECRET and Powertools' switches come from the shell. Without it serverless.yml's environment
// (the deployed values) wins over the shell's. Deploy and package never run these hooks, so no local value can reach AWS.
// TABLE_NAME is required: a local run never falls back to the deployed table's name (README).
import { weakSecret } from "../lib/auth/secrets.ts";

// serverless-offline gives the handler only serverless.yml's environment (and AWS_*): Powertools' own
// switches are passed on too, so that POWERTOOLS_METRICS_DISABLED=true does what docs/operations.md says.
const FROM_SHELL = [
  "TABLE_NAME",
  "DYNAMODB_ENDPOINT",
  "TOKEN_SECRET",
  "POWERTOOLS_METRICS_DISABLED",
  "POWERTOOLS_LOG_LEVEL",
] as const;

interface Serverless {
  service: { provider: { environment?: Record<string, unknown> } };
  /** osls's user-facing error: printed as its message, without a stack. */
  classes: { Error: new (message: string) => Error };
}

export default class LocalEnvironment {
  hooks: Record<string, () => void>;

  constructor(serverless: Serverless) {
    // Read now: by the time our invoke hook runs, osls has already written serverless.yml's values
    // into process.env (invoke local runs the handler in this very process).
    const shell = FROM_SHELL.flatMap((name) => {
      const value = process.env[name]?.trim();
      return value ? [[name, value] as const] : [];
    });
    const overlay = () => {
      if (!shell.some(([name]) => name === "TABLE_NAME")) {
        throw new serverless.classes.Error(
          "TABLE_NAME is unset: local runs take the table from your shell, never serverless.yml's deployed " +
            "name (e.g. TABLE_NAME=anqicms-orders-dev DYNAMODB_ENDPOINT=http://127.0.0.1:<port>; docs/operations.md)",
        );
      }
      // The bundle osls builds here runs with this secret: refused now, as the handler would at cold start.
      const secret = shell.find(([name]) => name === "TOKEN_SECRET")?.[1];
      const weak = secret && weakSecret(secret, "TOKEN_SECRET");
      if (weak) throw new serverless.classes.Error(weak);
      const environment = serverless.service.provider.environment ?? {};
      serverless.service.provider.environment = environment;
      for (const [name, value] of shell) {
        environment[name] = value;
        process.env[name] = value;
      }
    };
    this.hooks = {
      "before:offline:start": overlay,
      "before:offline:start:init": overlay,
      "before:invoke:local:loadEnvVars": overlay,
    };
  }
}
