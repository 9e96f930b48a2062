// `npm run golden:update`: rewrite c_hashes.json from the current compiler.
// Commit the result only with a message that says which op's output changed and why.
import { diffHashes, goldenHashes, type Hashes } from "./c_projects.js";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const file = new URL("../../../test/golden/c_hashes.json", import.meta.url);
const before: Hashes = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Hashes) : {};
const now = await goldenHashes((key) => process.stderr.write(`hashed ${key}\n`));
writeFileSync(file, `${JSON.stringify(now, null, 1)}\n`);
const changed = diffHashes(before, now);
console.log(changed.length === 0 ? "golden list unchanged" : changed.join("\n"));
