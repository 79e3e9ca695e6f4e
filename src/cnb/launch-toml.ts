import { isStringArray, isTable, parseToml, stringifyToml, type TomlTable } from './toml.js';
import { BuildError } from '../output/build-error.js';

export interface Process {
  type: string;
  /** Element 0 is the executable (a path or a name looked up on the launch PATH). */
  command: string[];
  /** Defaults the user's arguments replace. */
  args?: string[];
  default?: boolean;
  workingDir?: string;
}

export interface Label {
  key: string;
  value: string;
}
export interface Launch {
  processes: Process[];
  labels?: Label[];
}

/**
 * The spec's rule; the lifecycle itself only rejects `/><:|&\` (spec D3). "." and ".." are
 * refused too: each type becomes a file name (`/cnb/process/<type>`, `env.launch/<type>/`).
 */
export const PROCESS_TYPE_PATTERN = /^(?!\.\.?$)[A-Za-z0-9._-]+$/;

/** A launch.toml that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'launch.toml', problem });
}

export function launchProblems(launch: Launch): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of launch.processes) {
    if (!PROCESS_TYPE_PATTERN.test(p.type))
      problems.push(`process type "${p.type}" is not made of letters, digits, ".", "_" and "-", or is "." or ".."`);
    if (seen.has(p.type)) problems.push(`process type "${p.type}" is defined twice`);
    seen.add(p.type);
    if (p.command.length === 0 || p.command[0] === '') problems.push(`process "${p.type}" has an empty command`);
    if (p.workingDir === '') problems.push(`process "${p.type}" has an empty working-dir`);
  }
  if (launch.processes.filter((p) => p.default).length > 1) problems.push("multiple default process types aren't allowed");
  const keys = (launch.labels ?? []).map((l) => l.key);
  if (new Set(keys).size !== keys.length) problems.push('a label key is used twice');
  return problems;
}

export function formatLaunchToml(launch: Launch): string {
  const problems = launchProblems(launch);
  if (problems.length) throw invalid(problems.join('; '));
  return stringifyToml({
    ...(launch.labels?.length ? { labels: launch.labels } : {}),
    processes: launch.processes.map((p) => ({
      type: p.type,
      command: p.command,
      ...(p.args ? { args: p.args } : {}),
      default: p.default ?? false,
      ...(p.workingDir ? { 'working-dir': p.workingDir } : {}),
    })),
  } as TomlTable);
}

function readProcess(raw: unknown): Process {
  if (!isTable(raw)) throw invalid('every [[processes]] entry must be a table');
  const type = typeof raw.type === 'string' ? raw.type : '';
  if (type === '') throw invalid('type is required for all processes');
  if ('direct' in raw) throw invalid(`process "${type}": process.direct is not supported on this buildpack version`);
  if (!isStringArray(raw.command)) throw invalid(`process "${type}": command must be an array of strings`);
  if (raw.args !== undefined && !isStringArray(raw.args)) throw invalid(`process "${type}": args must be an array of strings`);
  if (raw.default !== undefined && typeof raw.default !== 'boolean') throw invalid(`process "${type}": default must be a boolean`);
  const workingDir = raw['working-dir'];
  if (workingDir !== undefined && typeof workingDir !== 'string') throw invalid(`process "${type}": working-dir must be a string`);
  return {
    type,
    command: raw.command,
    ...(raw.args ? { args: raw.args as string[] } : {}),
    ...(raw.default ? { default: true } : {}),
    ...(workingDir !== undefined ? { workingDir } : {}),
  };
}

/** Parses launch.toml and rejects what the real lifecycle rejects (Buildpack API ≥ 0.9). */
export function parseLaunchToml(text: string, what = 'launch.toml'): Launch {
  const table = parseToml(text, what);
  const unknown = Object.keys(table).filter((k) => !['labels', 'processes', 'slices'].includes(k));
  if (unknown.length) throw invalid(`${what} has unknown keys: ${unknown.join(', ')}`);
  const rawProcesses = table.processes ?? [];
  if (!Array.isArray(rawProcesses)) throw invalid('processes must be an array of tables');
  const labels = (Array.isArray(table.labels) ? table.labels : []).map((l: unknown) => {
    if (!isTable(l) || typeof l.key !== 'string' || typeof l.value !== 'string') throw invalid('every label needs a string key and value');
    return { key: l.key, value: l.value };
  });
  const launch: Launch = { processes: rawProcesses.map(readProcess), ...(labels.length ? { labels } : {}) };
  const problems = launchProblems(launch);
  if (problems.length) throw invalid(problems.join('; '));
  return launch;
}
