import type { BuildpackPlan } from './build-plan.js';
import { isTable, parseToml } from './toml.js';

/** build.toml: plan entries this buildpack did not meet, passed on to the next provider. */
export interface BuildToml { unmet: { name: string }[] }

export class BuildTomlError extends Error {}

/** Parses build.toml and checks every unmet name against the buildpack plan, as the lifecycle does. */
export function parseBuildToml(text: string, plan: BuildpackPlan): BuildToml {
  const table = parseToml(text, 'build.toml');
  if ('bom' in table) throw new BuildTomlError('build.toml: [[bom]] is deprecated; write SBOM files instead');
  const unmet = Array.isArray(table.unmet) ? table.unmet : [];
  const names = new Set(plan.entries.map((e) => e.name));
  return {
    unmet: unmet.map((entry: unknown) => {
      const name = isTable(entry) && typeof entry.name === 'string' ? entry.name : '';
      if (name === '') throw new BuildTomlError('build.toml: unmet.name is required');
      if (!names.has(name)) throw new BuildTomlError(`build.toml: unmet.name "${name}" must match a requested dependency`);
      return { name };
    }),
  };
}
