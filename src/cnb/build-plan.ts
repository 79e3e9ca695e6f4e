import { isTable, parseToml, stringifyToml, type TomlTable } from './toml.js';
import { BuildError } from '../output/build-error.js';

export interface PlanProvide {
  name: string;
}
export interface PlanRequire {
  name: string;
  metadata?: TomlTable;
}
export interface PlanAlternative {
  provides: PlanProvide[];
  requires: PlanRequire[];
}
/** What bin/detect writes: a first alternative plus `[[or]]` alternatives. */
export interface BuildPlan extends PlanAlternative {
  or?: PlanAlternative[];
}

export interface BuildpackPlanEntry {
  name: string;
  metadata: TomlTable;
}
/** What the lifecycle gives bin/build: the requires this buildpack provided. */
export interface BuildpackPlan {
  entries: BuildpackPlanEntry[];
}

/** A build plan that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'build plan', problem });
}

function checkEntries(kind: string, value: unknown, allowMetadata: boolean): PlanRequire[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`"${kind}" must be an array of tables`);
  return value.map((entry: unknown) => {
    if (!isTable(entry)) throw invalid(`every "${kind}" entry must be a table`);
    if (typeof entry.name !== 'string' || entry.name === '') throw invalid(`a "${kind}" entry has no name`);
    if ('version' in entry) throw invalid(`"${kind}" entry "${entry.name}" has a "version" key which is not supported; put it in metadata`);
    if (entry.metadata !== undefined && (!allowMetadata || !isTable(entry.metadata))) {
      throw invalid(`"${kind}" entry "${entry.name}" has metadata that is not a table`);
    }
    return entry.metadata === undefined ? { name: entry.name } : { name: entry.name, metadata: entry.metadata };
  });
}

function checkAlternative(table: TomlTable, prefix: string): PlanAlternative {
  return {
    provides: checkEntries(`${prefix}provides`, table.provides, false).map(({ name }) => ({ name })),
    requires: checkEntries(`${prefix}requires`, table.requires, true),
  };
}

/** Parses and validates a detect plan the way the lifecycle does. */
export function parseBuildPlan(text: string): BuildPlan {
  const table = parseToml(text, 'the build plan');
  const unknown = Object.keys(table).filter((k) => !['provides', 'requires', 'or'].includes(k));
  if (unknown.length) throw invalid(`the build plan has unknown keys: ${unknown.join(', ')}`);
  const plan: BuildPlan = checkAlternative(table, '');
  if (table.or !== undefined) {
    if (!Array.isArray(table.or) || !table.or.every(isTable)) throw invalid('"or" must be an array of tables');
    plan.or = (table.or as TomlTable[]).map((alt) => checkAlternative(alt, 'or.'));
  }
  return plan;
}

export function parseBuildpackPlan(text: string): BuildpackPlan {
  const table = parseToml(text, 'the buildpack plan');
  const entries = checkEntries('entries', table.entries, true);
  return { entries: entries.map((e) => ({ name: e.name, metadata: e.metadata ?? {} })) };
}

export function formatBuildpackPlan(plan: BuildpackPlan): string {
  return stringifyToml(plan as unknown as TomlTable);
}
