/** `conformance <dir>` CLI subcommand. */
import type { Command } from 'commander';
import { runConformance } from './run.js';

export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance <dir>')
    .description('run CMSIS-NN conformance vectors (JSON) through the bit-exact TypeScript kernels')
    .option('--filter <substr>', 'only run vector files whose path contains <substr>')
    .option('--reference', 'also check the plain reference implementations')
    .action((dir: string, o: { filter?: string; reference?: boolean }) => {
      const r = runConformance(dir, { filter: o.filter, checkReference: o.reference === true });
      for (const f of r.failures) console.log(`FAIL ${f.file} [${f.kernel}]: ${f.reason}`);
      for (const k of Object.keys(r.perKernel).sort()) {
        const c = r.perKernel[k];
        console.log(`  ${k}: ${c.passed} passed, ${c.failed} failed`);
      }
      if (r.skipped) console.log(`  (${r.skipped} non-vector file(s) skipped)`);
      console.log(`${r.passed} passed, ${r.failed} failed`);
      if (r.failed > 0) process.exitCode = 1;
    });
}
