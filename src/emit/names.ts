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

// Names the standard headers may define as macros: a port parameter spelled like
// one would be rewritten by the preprocessor in the application's code.
const LIBC_MACROS = new Set(["NULL", "EOF", "errno", "stdin", "stdout", "stderr", "assert", "offsetof", "NAN", "INFINITY", "HUGE_VAL", "BUFSIZ"]);
const MACRO_LIKE = /^(?:E[A-Z0-9]+|[A-Z0-9]+_[A-Z0-9_]*)$/;

/** A port parameter: sanitised, and kept off the spellings of macros (errno, EDOM, INT8_MAX, FOO_BAR). */
export function portIdentifier(name: string): string {
  const s = sanitizeIdentifier(name);
  return LIBC_MACROS.has(s) || MACRO_LIKE.test(s) ? `${s}_p` : s;
}

/** Hands out unique identifiers; `taken` are reserved up front. */
export class NameTable {
  private readonly used = new Set<string>();
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t.toLowerCase());
  }

  /** `prefix` + sanitised `name`, suffixed _2, _3 ... when taken (compared case-insensitively). */
  unique(name: string, prefix = "", maxLength = 63, sanitize: (s: string) => string = sanitizeIdentifier): string {
    // Long model names keep their tail: the layer and tensor part tells them apart.
    let tail = sanitize(name);
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
