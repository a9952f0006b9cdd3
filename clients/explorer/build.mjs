// Bundles the explorer's script into dist/explorer.js (committed: the node embeds it with
// src/index.html and src/explorer.css, which need no build, so building Weft needs no npm).
// `--check` builds in memory and fails if dist/ differs, as contracts/build.sh --check does.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const check = process.argv.includes("--check");

const bundle = await esbuild.build({
  entryPoints: [here("src/main.ts")],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  charset: "utf8",
  write: false,
  alias: { "@weft/client": here("../ts/src/index.ts") },
  // The client's sources take their dependencies from its own node_modules.
  nodePaths: [here("../ts/node_modules")],
});

const outputs = { "dist/explorer.js": bundle.outputFiles[0].text };

const stale = [];
for (const [path, text] of Object.entries(outputs)) {
  if (check) {
    let committed = null;
    try {
      committed = readFileSync(here(path), "utf8");
    } catch {}
    if (committed !== text) stale.push(path);
  } else {
    writeFileSync(here(path), text);
  }
}
if (stale.length > 0) {
  console.error(`clients/explorer: ${stale.join(", ")} differ from the sources: run \`npm run build\` in clients/explorer and commit dist/`);
  process.exit(1);
}
const sizes = Object.entries(outputs).map(([path, text]) => `${path} ${Buffer.byteLength(text)} B`);
console.log(`${check ? "up to date" : "built"}: ${sizes.join(", ")}`);
