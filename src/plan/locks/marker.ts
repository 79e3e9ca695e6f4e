// PEP 508 environment markers, only as far as lock files need: pip evaluates every marker
// about the environment; this module decides just the variables pip does not know here
// (which extras and dependency groups are installed) and combines markers along graph paths.

export type MarkerNode = { kind: 'expr'; left: string; op: string; right: string } | { kind: 'and' | 'or'; items: MarkerNode[] };

/** A marker after partial evaluation: always true, never true, or what is left for pip. */
export type Marker = true | false | MarkerNode;

/** Decides one comparison (`extra == 'x'`, `'dev' in dependency_groups`…), or leaves it to pip. */
export type MarkerVariables = (variable: string, op: string, value: string) => boolean | undefined;

const OPS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>'];

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated string in marker: ${text}`);
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      if (op) {
        tokens.push(op);
        i += op.length;
        continue;
      }
      const word = /^[A-Za-z0-9_.]+/.exec(text.slice(i))?.[0];
      if (!word) throw new Error(`unexpected "${c}" in marker: ${text}`);
      tokens.push(word);
      i += word.length;
    }
  }
  return tokens;
}

/** Parses a PEP 508 marker (throws on malformed text). */
export function parseMarker(text: string): MarkerNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error(`marker ends too early: ${text}`);
    return t;
  };
  const value = () => {
    const t = next();
    if (['(', ')', 'and', 'or', 'in', 'not', ...OPS].includes(t)) throw new Error(`unexpected "${t}" in marker: ${text}`);
    return t;
  };
  function atom(): MarkerNode {
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') throw new Error(`missing ")" in marker: ${text}`);
      return inner;
    }
    const left = value();
    let op = next();
    if (op === 'not') {
      if (next() !== 'in') throw new Error(`expected "not in" in marker: ${text}`);
      op = 'not in';
    } else if (op !== 'in' && !OPS.includes(op)) throw new Error(`unexpected "${op}" in marker: ${text}`);
    return { kind: 'expr', left, op, right: value() };
  }
  function and(): MarkerNode {
    const items = [atom()];
    while (peek() === 'and') {
      next();
      items.push(atom());
    }
    return items.length === 1 ? (items[0] as MarkerNode) : { kind: 'and', items };
  }
  function or(): MarkerNode {
    const items = [and()];
    while (peek() === 'or') {
      next();
      items.push(and());
    }
    return items.length === 1 ? (items[0] as MarkerNode) : { kind: 'or', items };
  }
  const node = or();
  if (pos !== tokens.length) throw new Error(`unexpected "${tokens[pos]}" in marker: ${text}`);
  return node;
}

const isQuoted = (t: string) => t.startsWith('"') || t.startsWith("'");
const unquote = (t: string) => t.slice(1, -1);

/** Replaces the comparisons `vars` decides with their truth value and simplifies. */
export function evaluatePartly(node: MarkerNode, vars: MarkerVariables): Marker {
  if (node.kind === 'expr') {
    const decided =
      isQuoted(node.right) && !isQuoted(node.left)
        ? vars(node.left, node.op, unquote(node.right))
        : isQuoted(node.left) && !isQuoted(node.right)
          ? vars(node.right, node.op, unquote(node.left))
          : undefined;
    return decided ?? node;
  }
  const absorbing = node.kind === 'or';
  const items: MarkerNode[] = [];
  for (const item of node.items) {
    const value = evaluatePartly(item, vars);
    if (value === absorbing) return absorbing;
    if (value !== !absorbing) items.push(value as MarkerNode);
  }
  if (items.length === 0) return !absorbing;
  return items.length === 1 ? (items[0] as MarkerNode) : { kind: node.kind, items };
}

/** Parses and partly evaluates a marker string; an absent marker is always true. */
export function marker(text: string | undefined, vars: MarkerVariables = () => undefined): Marker {
  if (text === undefined || text.trim() === '') return true;
  return evaluatePartly(parseMarker(text), vars);
}

export function printMarker(node: MarkerNode, parent: 'and' | 'or' | 'top' = 'top'): string {
  if (node.kind === 'expr') return `${node.left} ${node.op} ${node.right}`;
  const text = node.items.map((i) => printMarker(i, node.kind)).join(` ${node.kind} `);
  return node.kind === 'or' && parent === 'and' ? `(${text})` : text;
}

/** The extras/dependency-group variables: `extra == 'x'`, `'x' in extras`, `'g' in dependency_groups`. */
export function selectionVariables(
  extras: ReadonlySet<string>,
  groups: ReadonlySet<string>,
  normalize: (s: string) => string,
): MarkerVariables {
  return (variable, op, value) => {
    const set = variable === 'extra' || variable === 'extras' ? extras : variable === 'dependency_groups' ? groups : undefined;
    if (!set) return undefined;
    const has = set.has(normalize(value));
    if ((variable === 'extra' && op === '==') || (variable !== 'extra' && op === 'in')) return has;
    if ((variable === 'extra' && op === '!=') || (variable !== 'extra' && op === 'not in')) return !has;
    return undefined;
  };
}

/**
 * A marker in disjunctive normal form over opaque atoms (printed sub-markers), for the
 * condition under which a package is reached along any path of a dependency graph.
 * [] is never, [[]] always.
 */
export type Dnf = string[][];

export const NEVER: Dnf = [];
export const ALWAYS: Dnf = [[]];

export function dnfOf(m: Marker): Dnf {
  if (m === true) return ALWAYS;
  if (m === false) return NEVER;
  return [[printMarker(m, 'and')]];
}

function isSubset(a: readonly string[], b: readonly string[]): boolean {
  return a.every((x) => b.includes(x));
}

/** Removes clauses implied by a shorter one (x or (x and y) is x) and duplicates. */
function simplify(clauses: string[][]): Dnf {
  const sorted = clauses.map((c) => [...new Set(c)].sort()).sort((a, b) => a.length - b.length);
  const kept: string[][] = [];
  for (const c of sorted) if (!kept.some((k) => isSubset(k, c))) kept.push(c);
  return kept;
}

export function dnfOr(a: Dnf, b: Dnf): Dnf {
  return simplify([...a, ...b]);
}

export function dnfAnd(a: Dnf, b: Dnf): Dnf {
  return simplify(a.flatMap((x) => b.map((y) => [...x, ...y])));
}

export function dnfEqual(a: Dnf, b: Dnf): boolean {
  const key = (d: Dnf) => JSON.stringify(d.map((c) => c.join('\0')).sort());
  return key(a) === key(b);
}

/** The marker text for a requirement line, or undefined when it always applies. */
export function printDnf(d: Dnf): string | undefined {
  if (d.some((c) => c.length === 0)) return undefined;
  if (d.length === 1) return (d[0] as string[]).join(' and ');
  return d.map((c) => (c.length > 1 ? `(${c.join(' and ')})` : (c[0] as string))).join(' or ');
}
