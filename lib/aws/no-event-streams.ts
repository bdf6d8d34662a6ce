// Replaces @smithy/core/event-streams in the deployed bundle (scripts/esbuild-plugins.ts). The SDK's
// protocol code imports it lazily for event-stream operations; DynamoDB has none, so the 15 KB would
// only ever be bytes to ship. Should one be called, it fails clearly instead of silently.
const unsupported = (): never => {
  throw new Error("event streams are not bundled: DynamoDB has no event-stream operation");
};

export const EventStreamSerde = unsupported;
export const eventStreamSerdeProvider = unsupported;
