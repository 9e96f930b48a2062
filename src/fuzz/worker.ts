// A long-lived fuzz worker (a child process of the campaign): loads the seed
// models once, then takes case indices over IPC, derives each case from
// (campaign seed, index), runs it and answers with the outcome. A hang or an
// out-of-memory ends the process; the parent records it and starts another.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCase, runCaseWithC, type Outcome } from "./case.js";
import { fuzzCase } from "./mutate.js";

export interface CaseRequest {
  index: number;
  /** Also build the C for the host and compare it with the simulator. */
  checkC: boolean;
}
export interface CaseReply {
  index: number;
  seedName: string;
  outcome: Outcome;
}

const [seedsDir, seedText] = process.argv.slice(2);
const campaignSeed = Number(seedText);
const list: { name: string; weight: number }[] = JSON.parse(readFileSync(join(seedsDir!, "seeds.json"), "utf8"));
const seeds = list.map(({ name, weight }) => ({ name, weight, bytes: new Uint8Array(readFileSync(join(seedsDir!, `${name}.onnx`))) }));

process.on("message", async (msg: CaseRequest) => {
  const c = fuzzCase(seeds, campaignSeed, msg.index);
  const outcome = msg.checkC ? await runCaseWithC(c.bytes, c.seedName) : runCase(c.bytes, c.seedName);
  const { stack: _stack, ...slim } = outcome;
  const reply: CaseReply = { index: msg.index, seedName: c.seedName, outcome: slim };
  process.send!(reply);
});
process.on("disconnect", () => process.exit(0));
process.send!("ready");
