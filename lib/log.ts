// Structured JSON logs (CloudWatch-friendly) from Powertools; LOG_LEVEL/POWERTOOLS_LOG_LEVEL set the level.
// lib/app/accept-handler.ts injects the Lambda context, so every line carries the request id.
import { Logger } from "@aws-lambda-powertools/logger";

export type { Logger };
export const logger = new Logger({ serviceName: "anqicms-order-accept" });
