import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Bright Run's version, from package.json. */
export const SYSTEM_VERSION: string = (
  JSON.parse(fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../package.json"), "utf8")) as { version: string }
).version;
