// The HTML report in headless Chromium (Debian's `chromium`, driven by
// playwright-core): for silero-vad and yolo11n (96×96) the page renders with
// no console error and no network request, each graph SVG has one box per op
// of its graph (counted from the graph, names compared one by one), the table
// one row per op of the final program, and the memory chart is drawn. A
// screenshot of each page goes to test-output/report/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import nodePath from "node:path";
import { chromium, type Browser } from "playwright-core";
import { buildStages, type Stages } from "../driver/stages.js";
import { SCRATCH_OP } from "../plan/lifetimes.js";
import { emitProject } from "../emit/project.js";
import { buildReport, parseProfile } from "./index.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const OUT = nodePath.join(ROOT, "test-output", "report");

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => !!p);
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  if (process.env.CI) throw new Error("CI: chromium is required for the report test (apt-get install chromium)");
  console.log("# skipping the HTML report test: no chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
}

interface PageFacts {
  errors: string[];
  requests: string[];
  scripts: number;
  before: string[];
  after: string[];
  rows: string[];
  buffers: number;
  chartText: string;
  title: string;
}

let browser: Browser;

async function load(html: string, shot: string): Promise<PageFacts> {
  fs.mkdirSync(OUT, { recursive: true });
  const file = nodePath.join(OUT, `${shot}.html`);
  fs.writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:")) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: "load" });
  const facts = await page.evaluate(() => {
    const names = (sel: string): string[] => [...document.querySelectorAll(sel)].map((e) => e.getAttribute("data-name") ?? "");
    return {
      scripts: document.querySelectorAll("script").length,
      before: names("svg#g-before g.op"),
      after: names("svg#g-after g.op"),
      rows: [...document.querySelectorAll("table.layers tbody tr")].map((tr) => tr.children[1]?.textContent ?? ""),
      buffers: document.querySelectorAll("svg.memory rect.buf").length,
      chartText: document.querySelector("svg.memory")?.textContent ?? "",
      title: document.querySelector("h1")?.textContent ?? "",
    };
  });
  await page.screenshot({ path: nodePath.join(OUT, `${shot}.png`), fullPage: true });
  await page.close();
  return { errors, requests, ...facts };
}

function checkPage(f: PageFacts, s: Stages): void {
  assert.deepEqual(f.errors, [], "console errors");
  assert.deepEqual(f.requests, [], "network requests");
  assert.equal(f.scripts, 0);
  // One SVG box per op, in graph order, names compared element by element.
  assert.deepEqual(f.before, s.float.nodes.map((n) => n.name));
  assert.deepEqual(f.after, s.final!.nodes.map((n) => n.name));
  // One table row per op of the final program (scratch allocations are not ops).
  assert.deepEqual(f.rows, s.final!.nodes.filter((n) => n.op !== SCRATCH_OP).map((n) => n.name));
  assert.ok(f.buffers > 0, "memory chart has buffers");
  assert.match(f.chartText, new RegExp(`arena ${s.plan!.arenaBytes} B`));
  assert.match(f.chartText, new RegExp(`lower bound ${s.plan!.lowerBoundBytes} B`));
}

describe("HTML report in Chromium", { skip: CHROMIUM ? false : "no chromium" }, () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ["--no-sandbox"] });
  });
  after(async () => {
    await browser?.close();
  });

  test("silero-vad: graphs, one row per op, memory chart, instructions from a profile", async () => {
    const s = await buildStages("silero-vad", { stage: "final", target: "cortex-m55" });
    const conv = s.final!.nodes.find((n) => n.op === "cortex_m.quantized_conv2d")!;
    const profile = parseProfile(JSON.stringify({ total: 1234567, steps: [{ name: conv.name, op: conv.op, kernel: "arm_convolve_s8", instructions: 98765 }] }), "p.json");
    const project = emitProject(s, { name: "vad", target: "cortex-m55" });
    const r = buildReport(s, { model: "silero-vad", target: "cortex-m55", profile, steps: project.steps });
    const f = await load(r.html, "silero-vad");
    checkPage(f, s);
    const row = r.rows!.find((x) => x.name === conv.name)!;
    assert.equal(row.instructions, 98765);
    // The lowering's dispatch names conv kernels, with its reason; other steps name the C function they call.
    assert.equal(row.kernel, conv.attrs.kernel);
    assert.equal(row.why, conv.attrs.layout_reason);
    assert.equal(row.macs > 0, true);
    const kinds = new Map(r.rows!.map((x) => [x.op, x.kernel]));
    assert.equal(kinds.get("cortex_m.dequantize_per_tensor"), "clg_dequantize_s8_f32");
    assert.equal(kinds.get("aten.lstm")?.startsWith("clg_"), true, `lstm: ${kinds.get("aten.lstm")}`);
    // A view the plan aliases has no code in the C.
    assert.ok(r.rows!.some((x) => x.op === "aten.view_copy" && x.kernel === "none (no code)"));
    assert.ok(r.rows!.some((x) => x.sqnrDb !== null), "some rows carry the quantizer's SQNR");
  });

  test("yolo11n 96×96: graphs, one row per op, memory chart", async () => {
    const s = await buildStages("yolo11n", { stage: "final", target: "cortex-m55", inputShapes: { images: [1, 3, 96, 96] }, calibRandom: 2 });
    checkPage(await load(buildReport(s, { model: "yolo11n", target: "cortex-m55" }).html, "yolo11n-96"), s);
  });

  test("model-controlled names are shown as text, never run", async () => {
    const s = await buildStages("silero-vad", { stage: "final", target: "cortex-m4", calibRandom: 1 });
    const hostile = `</title></svg><script>console.error("ran")</script><img src=x onerror="console.error('img')">"'&`;
    s.final!.nodes[3]!.name = hostile;
    s.float.nodes[0]!.name = hostile;
    const f = await load(buildReport(s, { model: `model<b>"&'.onnx`, target: "cortex-m4" }).html, "escaping");
    checkPage(f, s);
    assert.equal(f.before[0], hostile);
    assert.equal(f.after[3], hostile);
    assert.equal(f.title, `cmsis-lower report: model<b>"&'.onnx`);
  });
});
