import { join } from "node:path";
import { readFileState } from "../adapters/fs.js";
import { frameworkDir, PRODUCT_FILES } from "../framework.js";
import { installedPath } from "../layout.js";
import type { InstallLayout, ProductFile } from "../layout.js";

/** The product files as this package ships them: the install's desired state. */
export async function readProductFiles(layout: InstallLayout): Promise<ProductFile[]> {
  // Every fleet command reads these at start: at once, not one after another.
  return Promise.all(
    PRODUCT_FILES.map(async (f) => {
      if (f.source === null) return { type: f.type, name: f.name, path: installedPath(layout, f), content: `${process.execPath}\n`, mode: f.mode };
      const source = join(frameworkDir, f.source);
      const found = await readFileState(source, 1024 * 1024);
      if (found.kind !== "file") throw new Error(`this mosaic's package is incomplete: ${source} is ${found.kind === "missing" ? "missing" : found.what}`);
      return { type: f.type, name: f.name, path: installedPath(layout, f), content: found.content, mode: f.mode };
    }),
  );
}
