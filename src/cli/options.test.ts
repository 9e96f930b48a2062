import { test } from "node:test";
import assert from "node:assert/strict";
import { Command, InvalidArgumentError } from "commander";
import { integerIn, numberIn, oneLineErrors, parseSeed } from "./options.js";

test("integerIn accepts integers in range, written as integers", () => {
  const p = integerIn(1, 100);
  assert.equal(p("1"), 1);
  assert.equal(p(" 100 "), 100);
  assert.equal(p("+7"), 7);
  for (const bad of ["0", "101", "-3", "2.5", "1e2", "abc", "", "12abc", "0x10", "Infinity"]) {
    assert.throws(() => p(bad), InvalidArgumentError, `integerIn(1, 100) accepted ${JSON.stringify(bad)}`);
  }
});

test("parseSeed takes 0 to 2^32-1", () => {
  assert.equal(parseSeed("0"), 0);
  assert.equal(parseSeed("4294967295"), 4294967295);
  for (const bad of ["-1", "4294967296", "abc", "1.5", "99999999999999999999"]) assert.throws(() => parseSeed(bad), InvalidArgumentError, bad);
});

test("numberIn accepts finite decimals in range", () => {
  const any = numberIn(-Infinity, Infinity);
  assert.equal(any("-12.5"), -12.5);
  assert.equal(any("1e3"), 1000);
  assert.equal(any(".5"), 0.5);
  for (const bad of ["abc", "12dB", "", "NaN", "Infinity", "1e999", "--1"]) assert.throws(() => any(bad), InvalidArgumentError, bad);
  const pct = numberIn(0, 100);
  assert.equal(pct("99.5"), 99.5);
  assert.equal(pct("0"), 0);
  for (const bad of ["100.01", "-0.1"]) assert.throws(() => pct(bad), InvalidArgumentError, bad);
});

test("oneLineErrors: every command's errors, nested ones too, are one line naming its own --help", () => {
  const written: string[] = [];
  const program = new Command("tool").exitOverride();
  const sub = program.command("go").option("--n <n>", "a count", integerIn(1, 3)).exitOverride();
  sub.command("deeper").exitOverride();
  oneLineErrors(program);
  for (const c of [program, sub, sub.commands[0]!]) c.configureOutput({ ...c.configureOutput(), writeErr: (s: string) => written.push(s) });
  assert.throws(() => program.parse(["go", "--n", "9"], { from: "user" }));
  assert.throws(() => program.parse(["go", "--bogus"], { from: "user" }));
  assert.throws(() => program.parse(["nope"], { from: "user" }));
  assert.deepEqual(written, [
    "cmsis-lower: option '--n <n>' argument '9' is invalid. Expected an integer from 1 to 3 (see 'tool go --help')\n",
    "cmsis-lower: unknown option '--bogus' (see 'tool go --help')\n",
    "cmsis-lower: unknown command 'nope' (see 'tool --help')\n",
  ]);
});
