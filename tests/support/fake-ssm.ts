// A stand-in for SSM's GetParameter on 127.0.0.1, for fault injection: it answers, fails or hangs as the
// test says, and records every request. Each request's SigV4 signature is recomputed here from the AWS
// documentation's algorithm (canonical request, string to sign, derived key) with node:crypto alone, so
// the signer's output is checked by something other than the signer.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-example",
};
export const REGION = "us-east-1";

export type Behaviour =
  | { answer: string }
  | { fail: number; type: string }
  /** Never answers (until the server closes). */
  | { hang: true };

export interface SeenRequest {
  target: string | undefined;
  contentType: string | undefined;
  securityToken: string | undefined;
  body: unknown;
  /** The signed headers, as the Authorization header lists them. */
  signedHeaders: string[];
  /** The credential scope: <key>/<date>/<region>/<service>/aws4_request. */
  scope: string;
  signatureValid: boolean;
}

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

function checkSignature(request: IncomingMessage, body: string) {
  const auth = /^AWS4-HMAC-SHA256 Credential=(\S+), SignedHeaders=(\S+), Signature=([0-9a-f]{64})$/.exec(
    request.headers.authorization ?? "",
  );
  if (!auth) return { signedHeaders: [], scope: "", signatureValid: false };
  const [, credential, signed, signature] = auth as unknown as [string, string, string, string];
  const [, ...scopeParts] = credential.split("/");
  const [date, region, service] = scopeParts as [string, string, string];
  const signedHeaders = signed.split(";");
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${String(request.headers[name] ?? "").trim()}\n`)
    .join("");
  const canonicalRequest = [
    request.method,
    request.url,
    "", // no query string
    canonicalHeaders,
    signed,
    sha256(body),
  ].join("\n");
  const amzDate = String(request.headers["x-amz-date"]);
  const scope = scopeParts.join("/");
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  let key = hmac(`AWS4${FAKE_CREDENTIALS.secretAccessKey}`, date);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const expected = createHmac("sha256", key).update(stringToSign).digest("hex");
  return { signedHeaders, scope: credential, signatureValid: expected === signature };
}

export async function startFakeSsm(behaviour: Behaviour) {
  const seen: SeenRequest[] = [];
  const state = { behaviour };
  // Hung requests whose client gave up (closed the connection), and who waits for how many.
  let abandoned = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const tell = () => {
    for (const waiter of waiting.filter((w) => abandoned >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const parsed = JSON.parse(body) as { Name?: string };
    seen.push({
      target: request.headers["x-amz-target"] as string | undefined,
      contentType: request.headers["content-type"],
      securityToken: request.headers["x-amz-security-token"] as string | undefined,
      body: parsed,
      ...checkSignature(request, body),
    });
    const now = state.behaviour;
    if ("hang" in now) {
      // the socket stays open, unanswered, until the client gives up
      const giveUp = () => {
        abandoned += 1;
        tell();
      };
      if (request.socket.destroyed) giveUp();
      else response.on("close", giveUp);
      return;
    }
    response.setHeader("content-type", "application/x-amz-json-1.1");
    if ("fail" in now) {
      response.statusCode = now.fail;
      response.end(JSON.stringify({ __type: now.type, message: "AWS error text that must not leak" }));
      return;
    }
    const name = parsed.Name;
    response.end(
      JSON.stringify({ Parameter: { Name: name, Type: "SecureString", Value: now.answer, Version: 1 } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    set: (next: Behaviour) => {
      state.behaviour = next;
    },
    /** Resolves once `count` hung requests in all have been given up by their client (an explicit signal). */
    abandoned: (count: number) =>
      new Promise<void>((resolve) => {
        waiting.push({ count, resolve });
        tell();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
