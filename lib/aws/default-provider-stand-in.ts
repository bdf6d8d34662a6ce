// Replaces @aws-sdk/credential-provider-node in the deployed bundle (scripts/esbuild-plugins.ts). Every
// SDK client imports the default chain statically, even when given credentials, so only a swap at build
// time keeps it out. Should anything still ask for the default chain, it gets the environment's keys,
// which is all the chain would find on Lambda anyway.
import { fromEnv } from "@aws-sdk/credential-provider-env";

export const defaultProvider = fromEnv;
