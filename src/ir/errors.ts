// A UserError is a problem with the user's input (model file, argument, data).
// The CLI prints its message as one line and exits 1; anything else is a bug
// and keeps its stack trace.
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** An invariant of the IR was broken by a pass or an importer (a bug, not bad input). */
export class IRError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IRError";
  }
}
