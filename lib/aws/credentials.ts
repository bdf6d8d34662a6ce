// AWS credentials for the deployed handler. Lambda puts the execution role's keys in the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), so the SDK's default chain (profiles,
// SSO, processes, web identity, instance metadata, and the STS/SSO clients they pull in) has nothing to
// find there and only costs bundle bytes and import time.
import { fromEnv } from "@aws-sdk/credential-provider-env";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export const environmentCredentials: AwsCredentialIdentityProvider = fromEnv();

/** DynamoDB Local wants credentials too; any values do. */
export const localCredentials = (): AwsCredentialIdentity => ({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
});
