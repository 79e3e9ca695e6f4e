// Poetry's version constraints (^1.2, ~1.2, 1.2.*, ">=1,<2 || >=3") as PEP 440 specifiers.

function caretUpper(parts: number[]): string {
  const first = parts.findIndex((p) => p !== 0);
  const keep = first < 0 ? Math.max(parts.length - 1, 0) : Math.min(first, parts.length - 1);
  const upper = parts.slice(0, keep + 1);
  upper[keep] = (upper[keep] as number) + 1;
  return upper.join('.');
}

function tildeUpper(parts: number[]): string {
  const keep = parts.length > 1 ? 1 : 0;
  const upper = parts.slice(0, keep + 1);
  upper[keep] = (upper[keep] as number) + 1;
  return upper.join('.');
}

function numbers(version: string): number[] {
  return (/^\d+(?:\.\d+)*/.exec(version)?.[0] ?? '0').split('.').map(Number);
}

function clause(text: string): string[] {
  const t = text.trim();
  if (t === '' || t === '*') return [];
  if (t.startsWith('^')) {
    const v = t.slice(1).trim();
    return [`>=${v}`, `<${caretUpper(numbers(v))}`];
  }
  if (t.startsWith('~') && !t.startsWith('~=')) {
    const v = t.slice(1).trim();
    return [`>=${v}`, `<${tildeUpper(numbers(v))}`];
  }
  const op = /^(===|==|!=|<=|>=|~=|<|>)\s*(.+)$/.exec(t);
  if (op) return [`${op[1]}${op[2]}`];
  return [`==${t}`];
}

/** Alternatives (any may match), each a comma-joined PEP 440 specifier ("" matches every version). */
export function poetryToPep440(constraint: string): string[] {
  const tight = constraint.replace(/(===|==|!=|<=|>=|~=|<|>|\^|~)\s+/g, '$1');
  return tight.split(/\|\|?/).map((alt) =>
    alt
      .split(/,|\s+(?=[<>=!~^0-9*])/)
      .flatMap(clause)
      .join(','),
  );
}

/** A `python = "…"` constraint as a marker on python_full_version; undefined when it allows every version. */
export function pythonConstraintMarker(constraint: string): string | undefined {
  const alts = poetryToPep440(constraint);
  if (alts.some((a) => a === '')) return undefined;
  const clauses = alts.map((a) =>
    a.split(',').map((c) => {
      const [, op, v] = /^(===|==|!=|<=|>=|~=|<|>)(.+)$/.exec(c) as RegExpExecArray;
      return `python_full_version ${op} "${v}"`;
    }),
  );
  if (clauses.length === 1) return (clauses[0] as string[]).join(' and ');
  return clauses.map((c) => (c.length > 1 ? `(${c.join(' and ')})` : c[0])).join(' or ');
}
