import { ALWAYS, dnfAnd, dnfEqual, dnfOr, NEVER, type Dnf } from './marker.js';

/** An edge of a lock's dependency graph: to package `target`, under `marker`, activating `extras`. */
export interface Edge {
  target: number;
  marker: Dnf;
  extras: readonly string[];
}

// far above any real lock; stops a malformed one from looping
const MAX_STEPS = 1_000_000;

/**
 * The condition under which each package is installed: the OR, over every path from the
 * roots, of the AND of the edge markers along it. Extras are nodes of their own, so an
 * extra's dependencies carry the condition of the edge that asked for the extra.
 */
export function reachability(
  roots: readonly Edge[],
  edgesOf: (pkg: number, extra: string | undefined) => readonly Edge[],
): Map<number, Dnf> {
  const state = new Map<string, { pkg: number; extra: string | undefined; dnf: Dnf }>();
  const queue: string[] = [];
  const reach = (pkg: number, extra: string | undefined, dnf: Dnf) => {
    const key = `${pkg}\0${extra ?? ''}`;
    const node = state.get(key) ?? { pkg, extra, dnf: NEVER };
    const merged = dnfOr(node.dnf, dnf);
    if (state.has(key) && dnfEqual(merged, node.dnf)) return;
    state.set(key, { ...node, dnf: merged });
    queue.push(key);
  };
  const follow = (edge: Edge, from: Dnf) => {
    const dnf = dnfAnd(from, edge.marker);
    if (dnf.length === 0) return;
    reach(edge.target, undefined, dnf);
    for (const extra of edge.extras) reach(edge.target, extra, dnf);
  };
  for (const root of roots) follow(root, ALWAYS);
  for (let steps = 0; queue.length; steps++) {
    if (steps > MAX_STEPS) throw new Error('the dependency graph does not settle');
    const node = state.get(queue.shift() as string) as { pkg: number; extra: string | undefined; dnf: Dnf };
    for (const edge of edgesOf(node.pkg, node.extra)) follow(edge, node.dnf);
  }
  const result = new Map<number, Dnf>();
  for (const node of state.values()) if (node.extra === undefined) result.set(node.pkg, node.dnf);
  return result;
}
