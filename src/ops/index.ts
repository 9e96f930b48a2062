// Registers every op family (import for side effects). A test checks that each
// folder under src/ops is imported here (cortex_m holds the lowered dialect's
// shape rules; its semantics live in the runtime).
import "./activation/index.js";
import "./conv/index.js";
import "./cortex_m/index.js";
import "./elementwise/index.js";
import "./layout/index.js";
import "./linear/index.js";
import "./pool/index.js";
import "./quant/index.js";
import "./reduce/index.js";
import "./resize/index.js";
import "./rnn/index.js";
import "./shape/index.js";
import "./softmax/index.js";

