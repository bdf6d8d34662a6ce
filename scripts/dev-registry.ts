// The npm run dev instances running from this checkout, one file each in .dev/ (git-ignored), so that
// `npm run seed -- <file>` with no variables loads the running one's table at its DynamoDB, as the dev
// banner prints it. A file whose process is gone (a kill -9 leaves it) counts for nothing.
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";

const folder = new URL("../.dev/", import.meta.url);
/** npm run dev's PORT when unset; seed without PORT loads the instance on it first. */
export const DEFAULT_DEV_PORT = 3000;

export interface DevServer {
  port: number;
  pid: number;
  endpoint: string;
  table: string;
}

const fileOf = (port: number) => new URL(`dev-${port}.json`, folder);

/** Records this process as the dev server on `port`; the returned function removes the record. */
export async function recordDevServer(server: Omit<DevServer, "pid">): Promise<() => Promise<void>> {
  await mkdir(folder, { recursive: true });
  await writeFile(fileOf(server.port), JSON.stringify({ ...server, pid: process.pid }));
  return () => rm(fileOf(server.port), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function runningDevServers(): Promise<DevServer[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const servers = await Promise.all(
    names
      .filter((name) => /^dev-\d+\.json$/.test(name))
      .map(async (name) => JSON.parse(await readFile(new URL(name, folder), "utf8")) as DevServer),
  );
  return servers.filter((server) => alive(server.pid)).sort((a, b) => a.port - b.port);
}

/**
 * The dev server a variable-free seed loads: the one on PORT when set, else the one on the default port,
 * else the only one running; otherwise an Error saying what to do.
 */
export async function devServerToSeed(port: number | undefined): Promise<DevServer> {
  const running = await runningDevServers();
  const explicit = "or name a table: TABLE_NAME=<table> DYNAMODB_ENDPOINT=<url> npm run seed -- <file>";
  if (port !== undefined) {
    const found = running.find((server) => server.port === port);
    if (found) return found;
    throw new Error(`no npm run dev is running on port ${port} from this folder: start one, ${explicit}`);
  }
  const found = running.find((server) => server.port === DEFAULT_DEV_PORT) ?? running[0];
  if (found && (running.length === 1 || found.port === DEFAULT_DEV_PORT)) return found;
  if (!found)
    throw new Error(`no npm run dev is running from this folder: start one (npm run dev), ${explicit}`);
  const ports = running.map((server) => server.port).join(", ");
  throw new Error(
    `npm run dev runs on ports ${ports}: choose one with PORT=<port> npm run seed -- <file>, ${explicit}`,
  );
}
