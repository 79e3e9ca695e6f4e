// Python's json.dumps(value, sort_keys=True, …) byte for byte, because Pipenv and Poetry
// hash that text to tell whether a lock file still matches its Pipfile or pyproject.toml.

function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) {
      // ensure_ascii: \uXXXX, astral characters as a surrogate pair (JS strings already are)
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * `separators` as in Python: [item separator, key separator]; json.dumps' default is [', ', ': '].
 * TOML floats with an integer value (3.0) print as Python ints: the parser does not tell them apart.
 */
export function pythonJsonDumps(value: unknown, separators: [string, string] = [', ', ': ']): string {
  const [item, key] = separators;
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'string') return pyString(v);
    if (Array.isArray(v)) return `[${v.map(dump).join(item)}]`;
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${pyString(k)}${key}${dump(x)}`).join(item)}}`;
  };
  return dump(value);
}
