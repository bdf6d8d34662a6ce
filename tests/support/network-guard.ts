// Preloaded (node --import) into a process that must not touch the network: every socket connection and
// DNS query is refused and recorded, and the record is printed to stderr as `network: <what>` lines.
import dns from "node:dns";
import { syncBuiltinESMExports } from "node:module";
import net from "node:net";

function refuse(what: string): never {
  process.stderr.write(`network: ${what}\n`);
  throw new Error(`network use refused: ${what}`);
}

net.Socket.prototype.connect = function connect(...args: unknown[]) {
  const [first, second] = args as [unknown, unknown];
  const target =
    typeof first === "object" && first !== null
      ? `${(first as { host?: string }).host ?? (first as { path?: string }).path}:${(first as { port?: number }).port}`
      : `${String(second ?? "localhost")}:${String(first)}`;
  return refuse(`connect ${target}`);
};
dns.lookup = ((hostname: string) => refuse(`lookup ${hostname}`)) as unknown as typeof dns.lookup;
dns.promises.lookup = ((hostname: string) => refuse(`lookup ${hostname}`)) as typeof dns.promises.lookup;
dns.resolve = ((hostname: string) => refuse(`resolve ${hostname}`)) as unknown as typeof dns.resolve;
syncBuiltinESMExports();
