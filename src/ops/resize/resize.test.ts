import { test } from "node:test";
import assert from "node:assert/strict";
import { run1, t } from "../../../test/support/op_run.js";

test("upsample_nearest2d 2x2 -> 4x4 repeats pixels; 2x3 -> 3x2 uses floor(dst*in/out)", () => {
  const y = run1("aten.upsample_nearest2d", [t([1, 1, 2, 2], [1, 2, 3, 4])], { output_size: [4, 4] });
  assert.deepEqual([...y.data], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  // rows: floor(0*2/3)=0, floor(2/3)=0, floor(4/3)=1 ; cols: floor(0)=0, floor(3/2)=1
  const z = run1("aten.upsample_nearest2d", [t([1, 1, 2, 3], [1, 2, 3, 4, 5, 6])], { output_size: [3, 2] });
  assert.deepEqual([...z.data], [1, 2, 1, 2, 4, 5]);
});
