import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedMissing, sharedPath } from "../../../test/fixtures/shared.js";
import { chooseConv1dLayout, conv1dCall } from "../layout_choice.js";

function vectorsDir(): string {
  return sharedPath("cmsis-nn-vectors/random");
}

interface Vec {
  kernel: string; dims: { input: number[]; filter: number[]; output: number[] }; stride: number[]; padding: number[]; dilation: number[];
  groups?: number; ch_mult?: number; target_status?: Record<string, string>; target_results?: { mve?: { matches_expected?: boolean } };
  dispatch_trace?: Record<string, string[]>;
}

test("replaying every conv1d-shaped random vector: the cortex-m55 layout never reaches a failing or wrong MVE 1xN kernel", { skip: sharedMissing("cmsis-nn-vectors/random") }, () => {
  const dir = vectorsDir();
  let replayed = 0;
  let badOnMve = 0;
  for (const kdir of ["arm_convolve_wrapper_s8", "arm_depthwise_conv_wrapper_s8"]) {
    for (const f of readdirSync(join(dir, kdir)).filter((x) => x.endsWith(".json"))) {
      const v = JSON.parse(readFileSync(join(dir, kdir, f), "utf8")) as Vec;
      const [n, h, w, c] = v.dims.input as [number, number, number, number];
      const [, oh, ow, oc] = v.dims.output as [number, number, number, number];
      const [, fh, fw] = v.dims.filter as [number, number, number, number];
      // conv1d-shaped: one spatial extent is 1 in input, filter and output.
      const onW = h === 1 && fh === 1 && oh === 1;
      const onH = w === 1 && fw === 1 && ow === 1;
      if (!onW && !onH) continue;
      const depthwise = kdir.includes("depthwise");
      const geo = {
        n, cin: c, cout: oc, len: onW ? w : h, outLen: onW ? ow : oh, k: onW ? fw : fh,
        stride: onW ? v.stride[1]! : v.stride[0]!, pad: onW ? v.padding[1]! : v.padding[0]!, dilation: onW ? v.dilation[1]! : v.dilation[0]!,
        depthwise, chMult: depthwise ? oc / c : 1, groups: depthwise ? c : (v.groups ?? 1),
      };
      const mveBad = v.target_status?.mve !== undefined && (v.target_status.mve !== "ARM_CMSIS_NN_SUCCESS" || v.target_results?.mve?.matches_expected === false);
      const reachedOneByN = (v.dispatch_trace?.mve ?? []).includes("arm_convolve_1_x_n_s8");
      const d = chooseConv1dLayout("mve", geo);
      replayed++;
      if (mveBad && reachedOneByN) {
        badOnMve++;
        // The vector's own layout reached the broken kernel; ours must not.
        assert.notEqual(d.kernel, "arm_convolve_1_x_n_s8", `${kdir}/${f}: chose ${d.layout} → ${d.kernel}`);
        assert.equal(d.outcome, "ok", `${kdir}/${f}`);
      }
      // Whatever we choose, the call we would make is valid on MVE.
      const call = conv1dCall(geo, d.layout);
      assert.ok(call.input.h === 1 || call.input.w === 1);
    }
  }
  console.log(`replayed ${replayed} conv1d-shaped vectors; ${badOnMve} fail or miscompute in their own layout on MVE, none in ours`);
  assert.ok(replayed >= 20, `only ${replayed} conv1d-shaped vectors found`);
  assert.ok(badOnMve >= 10);
});
