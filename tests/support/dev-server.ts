// Runs `npm run dev` as a user would, and watches what it leaves behind: its output, its process tree
// (read from `ps`, so that grandchildren such as java and esbuild count too) and its ports.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface DevRun {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of `pattern` in the output; rejects when the run ends first. */
  waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

// What a shell passes on; the test's own TABLE_NAME, DYNAMODB_ENDPOINT, TOKEN_SECRET… stay out.
const BASE = ["PATH", "HOME", "TMPDIR", "LANG", "JAVA_HOME"];

/** `npm run dev` with `env` and nothing of the test's own configuration. */
export function startDev(env: Record<string, string>, options: { detached?: boolean } = {}): DevRun {
  const base = Object.fromEntries(
    BASE.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const child = spawn("npm", ["run", "dev"], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += chunk));
  child.stderr?.on("data", (chunk) => (text += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  // A hang guard, not a measurement: generous, so that a busy machine starting slowly is not a failure.
  const waitFor = async (pattern: RegExp, ms = 180_000) => {
    const deadline = Date.now() + ms;
    let ended = false;
    void exited.then(() => (ended = true));
    for (;;) {
      const match = text.match(pattern);
      if (match) return match;
      if (ended || Date.now() > deadline) {
        throw new Error(`npm run dev ${ended ? "ended" : "timed out"} before ${pattern}:\n${text}`);
      }
      await sleep(100);
    }
  };
  return { child, output: () => text, waitFor, exited };
}

export interface Proc {
  pid: number;
  command: string;
}

function table(): { pid: number; ppid: number; stat: string; command: string }[] {
  return execFileSync("ps", ["-e", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, pid, ppid, stat, command]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      stat: stat as string,
      command: command as string,
    }));
}

/** `pid` and everything below it, now. */
export function processTree(pid: number): Proc[] {
  const all = table();
  const tree: Proc[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const row of all.filter((candidate) => candidate.ppid === parent)) {
      tree.push({ pid: row.pid, command: row.command });
      queue.push(row.pid);
    }
  }
  return tree;
}

/** Which of `procs` still run after up to `ms` (a zombie awaiting its reaper runs nothing). */
export async function survivors(procs: Proc[], ms = 60_000): Promise<Proc[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = new Set(
      table()
        .filter((row) => !row.stat.startsWith("Z"))
        .map((row) => row.pid),
    );
    const left = procs.filter((proc) => running.has(proc.pid));
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(200);
  }
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** Cleanup after a failed test: SIGKILL to `pid` and everything below it. */
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const proc of [...processTree(pid), { pid, command: "" }]) {
    try {
      process.kill(proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
