import type { BuildpackPlan } from './build-plan.js';
import { isTable, parseToml } from './toml.js';
import { BuildError } from '../output/build-error.js';

/** build.toml: plan entries this buildpack did not meet, passed on to the next provider. */
export interface BuildToml {
  unmet: { name: string }[];
}

/** A build.toml that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'build.toml', problem });
}

/** Parses build.toml and checks every unmet name against the buildpack plan, as the lifecycle does. */
export function parseBuildToml(text: string, plan: BuildpackPlan): BuildToml {
  const table = parseToml(text, 'build.toml');
  if ('bom' in table) throw invalid('build.toml: [[bom]] is deprecated; write SBOM files instead');
  const unmet = Array.isArray(table.unmet) ? table.unmet : [];
  const names = new Set(plan.entries.map((e) => e.name));
  return {
    unmet: unmet.map((entry: unknown) => {
      const name = isTable(entry) && typeof entry.name === 'string' ? entry.name : '';
      if (name === '') throw invalid('build.toml: unmet.name is required');
      if (!names.has(name)) throw invalid(`build.toml: unmet.name "${name}" must match a requested dependency`);
      return { name };
    }),
  };
}
