// Bundles the compiled CLI (dist/cli/main.js, from tsc) and its runtime
// dependencies into one file, dist/mosaic.js, the `mosaic` the package runs.
// Node's ESM loader resolves and compiles every module file on each start
// (about 380 here); one file starts in a fraction of the time.
// It sits in dist/ so that framework.ts finds the package root one level up,
// as it does from the compiled files.
import { chmodSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: { mosaic: "dist/cli/main.js" },
  outdir: "dist",
  // What is imported only when needed (execa: by the first process started) goes in chunks of
  // its own, which a command that never needs them never reads.
  splitting: true,
  // Chunks sit beside dist/mosaic.js, not in a folder below it: the shared chunk holds framework.ts,
  // which finds the package root one level up from the file it is in.
  chunkNames: "mosaic-[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Some dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __mosaicRequire } from 'node:module'; const require = __mosaicRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
chmodSync("dist/mosaic.js", 0o755);

// The session tool the units and the message scripts run (framework/tools/*.sh exec it): one
// self-contained file, since `fleet install-systemd` copies it to ~/.config/mosaic/tools/lib/,
// away from this package and its node_modules.
await build({
  entryPoints: ["dist/cli/tools/entry.js"],
  outfile: "framework/tools/lib/mosaic-session.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner: { js: "// Built from mosaic's src/cli/tools by scripts/bundle.mjs: do not edit.\nimport { createRequire as __mosaicRequire } from 'node:module'; const require = __mosaicRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
