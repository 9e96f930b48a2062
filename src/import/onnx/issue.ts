// Two error kinds of the ONNX importer. Converters throw an ImportIssue with just
// the reason; the node loop adds "<file>: node '<name>' (<OpType>): " and turns it
// into an OnnxImportError (a UserError), which outer loops (If bodies) pass through.
import { UserError } from "../../ir/errors.js";

export class ImportIssue extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ImportIssue";
  }
}

/** A fully formatted one-line import error. */
export class OnnxImportError extends UserError {}

/** Collapse any message to one line (shape rules may format over several). */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, "; ").trim();
}
