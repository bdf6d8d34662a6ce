// osls plugin for local runs (`osls offline`, `osls invoke local`): TABLE_NAME, DYNAMODB_ENDPOINT and
// TOKEN_SECRET come from the shell. Without it serverless.yml's environment (the deployed values) wins
// over the shell's. Deploy and package never run these hooks, so no local value can reach AWS.
const FROM_SHELL = ["TABLE_NAME", "DYNAMODB_ENDPOINT", "TOKEN_SECRET"] as const;

interface Serverless {
  service: { provider: { environment?: Record<string, unknown> } };
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
