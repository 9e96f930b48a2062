import type { Pass } from "../../ir/pass.js";

/** Remove nodes and constants nothing reads. */
export const deadCodeElimination: Pass = {
  name: "DeadCodeElimination",
  run(g) {
    return { changed: g.dce() > 0 };
  },
};
