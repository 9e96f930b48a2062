// C identifiers from model names: sanitised (letters, digits, underscores, not
// starting with a digit, never a C keyword or reserved _X / __ name) and made
// unique within one table, so two node names that sanitise alike still differ.

const C_KEYWORDS = new Set([
  "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
  "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
  "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
  "_Bool", "_Complex", "_Imaginary", "bool", "true", "false", "main", "asm",
]);

/** A valid C identifier close to `name` (may collide with others: use NameTable for uniqueness). */
export function sanitizeIdentifier(name: string, fallback = "v"): string {
  let s = name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_+|_+$/g, "");
  if (s.length === 0) s = fallback;
  if (/^[0-9]/.test(s)) s = `${fallback}_${s}`;
  if (C_KEYWORDS.has(s)) s = `${s}_`;
  return s;
}

/** Hands out unique identifiers; `taken` are reserved up front. */
export class NameTable {
  private readonly used = new Set<string>();
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t.toLowerCase());
  }

  /** `prefix` + sanitised `name`, suffixed _2, _3 ... when taken (compared case-insensitively). */
  unique(name: string, prefix = "", maxLength = 63): string {
    // Long model names keep their tail: the layer and tensor part tells them apart.
    let tail = sanitizeIdentifier(name);
    const room = maxLength - 6 - prefix.length;
    if (tail.length > room) tail = sanitizeIdentifier(tail.slice(tail.length - room).replace(/^[^_]*_/, ""));
    const base = prefix + tail;
    let id = base;
    for (let i = 2; this.used.has(id.toLowerCase()); i++) id = `${base}_${i}`;
    this.used.add(id.toLowerCase());
    return id;
  }
}

/** The model name given with --name as the C prefix: lower-case identifier. */
export function modelPrefix(name: string): string {
  const s = sanitizeIdentifier(name, "model").toLowerCase();
  return s;
}
