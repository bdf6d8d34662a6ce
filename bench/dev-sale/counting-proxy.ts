// A pass-through HTTP proxy in front of DynamoDB Local that counts every DynamoDB request by operation
// (its X-Amz-Target header) and how each ended: what `npm run dev` sends, measured from outside it.
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
  endpoint: string;
  /** Requests by operation, e.g. `TransactWriteItems`; `…:failed` those answered with HTTP 400. */
  counts: Map<string, number>;
  close: () => Promise<void>;
}

export async function countingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  const counts = new Map<string, number>();
  const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  const server = createServer((incoming, outgoing) => {
    const operation = String(incoming.headers["x-amz-target"] ?? "").split(".")[1] ?? "other";
    add(operation);
    const forward = request(
      { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        if (answer.statusCode === 400) add(`${operation}:failed`);
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forward.on("error", () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
