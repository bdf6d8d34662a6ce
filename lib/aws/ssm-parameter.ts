// One SSM `GetParameter` (WithDecryption), signed with SigV4 and sent through the signer, hash and HTTP
// handler the DynamoDB client already brings into the bundle: no second SDK client for one call a
// container makes every few minutes. Request shape: the SSM API reference's GetParameter (JSON 1.1
// protocol, `X-Amz-Target: AmazonSSM.GetParameter`), docs/operations.md has the decision.
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { NodeHttpHandler, streamCollector } from "@smithy/node-http-handler";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentityProvider } from "@smithy/types";

export interface ParameterSource {
  /** The parameter's name, e.g. /anqicms-orders/prod/token-secret. */
  name: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Tests point this at a local fake; deployed, the region's SSM endpoint. */
  endpoint?: string | undefined;
}

/** The region's SSM endpoint (China regions live under amazonaws.com.cn). */
const ssmEndpoint = (region: string) =>
  `https://ssm.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;

/** Rejects as soon as `signal` aborts, whatever `work` is still waiting for. */
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

export class ParameterFetchError extends Error {
  override name = "ParameterFetchError";
}

/** A reader of the parameter's decrypted value; each call is one HTTPS round trip, no retries. */
export function parameterReader(source: ParameterSource): (signal: AbortSignal) => Promise<string> {
  const url = new URL(source.endpoint ?? ssmEndpoint(source.region));
  const signer = new SignatureV4({
    service: "ssm",
    region: source.region,
    credentials: source.credentials,
    sha256: Sha256,
  });
  const body = JSON.stringify({ Name: source.name, WithDecryption: true });
  // Built here, not at import: only a deployed container reads a parameter. Short socket timeouts: the
  // caller's signal bounds the whole call, these stop a dead connection early.
  const http = new NodeHttpHandler({
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    throwOnRequestTimeout: true,
  });

  async function read(signal: AbortSignal): Promise<string> {
    const request = new HttpRequest({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: "/",
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.1",
        "content-length": String(Buffer.byteLength(body)),
        "x-amz-target": "AmazonSSM.GetParameter",
      },
      body,
    });
    const signed = await signer.sign(request);
    const { response } = await http.handle(signed as HttpRequest, { abortSignal: signal });
    const text = Buffer.from(await streamCollector(response.body)).toString("utf8");
    if (response.statusCode !== 200) {
      // AWS error text stays out of it: the type (e.g. ParameterNotFound, ThrottlingException) is enough.
      const type = /"__type"\s*:\s*"(?:[^"#]*#)?([A-Za-z]+)/.exec(text)?.[1] ?? "unknown error";
      throw new ParameterFetchError(`SSM GetParameter answered ${response.statusCode} ${type}`);
    }
    const value = (JSON.parse(text) as { Parameter?: { Value?: unknown } }).Parameter?.Value;
    if (typeof value !== "string") throw new ParameterFetchError("SSM GetParameter returned no value");
    return value;
  }

  return (signal) => bounded(read(signal), signal);
}
