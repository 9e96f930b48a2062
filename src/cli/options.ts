// Option hygiene shared by every command: numeric option parsers that refuse
// what is not a number in range (commander then names the option), and
// commander's own errors as one line pointing at the command's --help
// instead of printing the whole help after the error.
import { InvalidArgumentError, type Command } from "commander";

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parser for an integer option in [min, max]. */
export function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const v = INTEGER.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    return v;
  };
}

/** Parser for a decimal option in [min, max] (either end may be infinite; the value itself must be finite). */
export function numberIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isFinite(v) || v < min || v > max) {
      const range = Number.isFinite(min) && Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` of at least ${min}` : "";
      throw new InvalidArgumentError(`Expected a number${range}.`);
    }
    return v;
  };
}

/** Seeds of the seeded random inputs (mulberry32 takes 32 bits). */
export const parseSeed = integerIn(0, 0xffffffff);

/** "cmsis-lower run" for the run command. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * Commander's errors (unknown option, bad choice, missing argument…) of `cmd`
 * and every command under it as one stderr line:
 * `cmsis-lower: <what> (see 'cmsis-lower <command> --help')`. Applied once
 * to the whole tree after every command is registered, so new commands get it.
 */
export function oneLineErrors(cmd: Command): void {
  const help = `see '${commandPath(cmd)} --help'`;
  cmd.showHelpAfterError(false);
  cmd.configureOutput({
    outputError: (text, write) => write(`cmsis-lower: ${text.trim().replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").replace(/\.$/, "")} (${help})\n`),
  });
  for (const sub of cmd.commands) oneLineErrors(sub);
}
