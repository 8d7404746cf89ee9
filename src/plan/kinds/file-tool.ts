import { productFileKind } from "./product-file.js";

/** The product's installed tools. */
export const fileTool = productFileKind("file.tool");
