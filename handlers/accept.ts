// POST /api/communication/order/accept — a customer accepts a merchant's quotation (docs/accept.md).
import { createAcceptHandler } from "../lib/app/accept-handler.ts";
import { configFromEnvironment } from "../lib/config.ts";

export const handler = createAcceptHandler(configFromEnvironment());
