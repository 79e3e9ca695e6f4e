import type { BuildPlan, BuildpackPlan } from '../cnb/build-plan.js';

/**
 * Resolves one buildpack's detect plan on its own, as the lifecycle does for a group of
 * one: the first alternative (top level, then each `[[or]]`) in which everything it
 * provides it also requires, and everything it requires it also provides. The buildpack
 * plan holds that alternative's requires, in order, duplicates kept. Undefined: detection fails.
 */
export function resolvePlan(plan: BuildPlan): BuildpackPlan | undefined {
  for (const alternative of [plan, ...(plan.or ?? [])]) {
    const provided = new Set(alternative.provides.map((p) => p.name));
    const required = new Set(alternative.requires.map((r) => r.name));
    const resolves = [...provided].every((name) => required.has(name)) && [...required].every((name) => provided.has(name));
    if (resolves) return { entries: alternative.requires.map((r) => ({ name: r.name, metadata: r.metadata ?? {} })) };
  }
  return undefined;
}
