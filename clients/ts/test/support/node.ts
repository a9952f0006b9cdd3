// Starts a real `weft node --dev --ephemeral` on a free port for a test, and stops it after.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../../../../../", import.meta.url));

/** The `weft` binary: `WEFT_BIN`, else the debug build in `CARGO_TARGET_DIR` (or the repo's `target`). */
export function weftBinary(): string {
  const bin = process.env.WEFT_BIN ?? `${process.env.CARGO_TARGET_DIR ?? `${repo}target`}/debug/weft`;
  if (!existsSync(bin)) {
    throw new Error(`no weft binary at ${bin}: run \`cargo build --bin weft\` or set WEFT_BIN`);
  }
  return bin;
}

/** A running devnet node. */
export interface DevNode {
  /** Its JSON-RPC URL over HTTP. */
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `weft node --dev --ephemeral` with `args`, resolving once it serves RPC. */
export function startNode(args: string[] = []): Promise<DevNode> {
  const child: ChildProcess = spawn(
    weftBinary(),
    ["node", "--dev", "--ephemeral", "--rpc-addr", "127.0.0.1:0", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let printed = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start in 30 s:\n${printed}`)), 30_000);
    const read = (chunk: Buffer) => {
      printed += chunk.toString();
      const found = /rpc listening on (\S+)/.exec(printed);
      if (found) {
        clearTimeout(timer);
        resolve({
          url: `http://${found[1]}`,
          output: () => printed,
          stop: async () => {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the node exited (${code}) before serving:\n${printed}`));
    });
  });
}
