import { productFileKind } from "./product-file.js";

/** The product's installed unit files. */
export const fileUnit = productFileKind("file.unit");
