// dim_order_ops._clone_dim_order: same logical shape and values; only the
// output's physical dim_order changes (to the attribute). Tensors in the
// interpreter are logical-order, so eval is a copy. Source map: the identity
// gather (the physical reorder is in the types, not in the map).
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece } from "../../ir/source_map.js";
import { makeType } from "../../ir/graph.js";
import { attrInts, need, shapeError } from "../common.js";

const OP = "dim_order_ops._clone_dim_order";

export const CLONE_DIM_ORDER: OpDef = defineOp({
  name: OP,
  traits: { layout: true },
  unaryElementwise: true,
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(OP, inputs, 0, "input x");
    const order = attrInts(OP, attrs, "dim_order");
    const sorted = [...order].sort((a, b) => a - b);
    if (order.length !== x.shape.length || sorted.some((d, i) => d !== i)) {
      shapeError(OP, `dim_order [${order}] is not a permutation of rank ${x.shape.length}`);
    }
    return [makeType(x.dtype, x.shape, order)];
  },
  moves: (inputs) => [gather(wholePiece(inputs[0]!.shape))],
  eval: (inputs, attrs) => evalMoves(CLONE_DIM_ORDER, inputs, attrs),
});
