// No behaviour change where none is intended (issue 11): the SHA-256 of every
// file of the generated C project, for every built-in and conv1d case on three
// cores, must equal the committed list. A hash may change only in a commit that
// says which op's output changed and why; regenerate with `npm run golden:update`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { diffHashes, goldenHashes, type Hashes } from "./c_projects.js";

const GOLDEN = new URL("../../../test/golden/c_hashes.json", import.meta.url);

test("generated C projects hash as in test/golden/c_hashes.json", async () => {
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as Hashes;
  const changed = diffHashes(golden, await goldenHashes());
  if (changed.length > 0) console.log(`generated C differs from the golden list:\n  ${changed.join("\n  ")}`);
  assert.deepEqual(changed, [], `${changed.length} file(s) changed; see the list above (npm run golden:update if intended)`);
});
