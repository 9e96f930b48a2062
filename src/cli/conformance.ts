import fs from "node:fs";
import type { Command } from "commander";
import { runConformance } from "../conformance/run.js";
import { UserError } from "../ir/errors.js";
import { fileError } from "../ir/user_files.js";
import { guarded } from "./errors.js";

/**
 * `cmsis-lower conformance <dir>`: CMSIS-NN conformance vectors (JSON) through
 * the bit-exact TypeScript kernels. Results go to stdout; a folder that cannot
 * be read is a usage error (one stderr line), not a failed vector.
 */
export function registerConformanceCommand(program: Command): void {
  program
    .command("conformance")
    .argument("<dir>", "a folder of conformance vector files (searched recursively)")
    .description("run CMSIS-NN conformance vectors (JSON) through the bit-exact TypeScript kernels")
    .option("--filter <substr>", "only run vector files whose path contains <substr>")
    .option("--reference", "also check the plain reference implementations")
    .action((dir: string, o: { filter?: string; reference?: boolean }) =>
      guarded(() => {
        let st: fs.Stats;
        try {
          st = fs.statSync(dir);
          if (st.isDirectory()) fs.readdirSync(dir);
        } catch (e) {
          throw fileError(dir, e, "cannot read");
        }
        if (!st.isDirectory()) throw new UserError(`${dir}: not a directory (conformance takes a folder of vector files)`);
        const r = runConformance(dir, { filter: o.filter, checkReference: o.reference === true });
        const out: string[] = [];
        for (const f of r.failures) out.push(`FAIL ${f.file} [${f.kernel}]: ${f.reason}`);
        for (const k of Object.keys(r.perKernel).sort()) {
          const c = r.perKernel[k]!;
          out.push(`  ${k}: ${c.passed} passed, ${c.failed} failed`);
        }
        if (r.skipped) out.push(`  (${r.skipped} non-vector file(s) skipped)`);
        out.push(`${r.passed} passed, ${r.failed} failed`);
        process.stdout.write(out.join("\n") + "\n");
        if (r.failed > 0) process.exitCode = 1;
      }),
    );
}
