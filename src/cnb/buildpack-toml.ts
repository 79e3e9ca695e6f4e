import { isStringArray, isTable, parseToml, type TomlTable } from './toml.js';
import { SBOM_FORMATS } from './sbom.js';
import { BuildError } from '../output/build-error.js';

export interface TargetSpec {
  os?: string;
  arch?: string;
  variant?: string;
  distros?: { name: string; version: string }[];
}

export interface BuildpackDescriptor {
  api: string;
  id: string;
  version: string;
  name: string;
  clearEnv: boolean;
  sbomFormats: string[];
  targets: TargetSpec[];
  metadata: TomlTable;
}

/** A buildpack.toml that breaks the spec. */
function invalid(problem: string): BuildError {
  return new BuildError({ kind: 'cnb-format', format: 'buildpack.toml', problem });
}

const SUPPORTED_APIS = ['0.7', '0.8', '0.9', '0.10', '0.11', '0.12'];
const RESERVED_IDS = ['app', 'config', 'generated', 'sbom'];

/** Rules of the spec (and of pack and the lifecycle) a component buildpack's descriptor must meet. */
export function buildpackTomlProblems(table: TomlTable): string[] {
  const problems: string[] = [];
  const bp = isTable(table.buildpack) ? table.buildpack : {};
  if (typeof table.api !== 'string' || !SUPPORTED_APIS.includes(table.api))
    problems.push(`api must be a string among ${SUPPORTED_APIS.join(', ')}`);
  if (typeof bp.id !== 'string' || !/^[A-Za-z0-9./-]+$/.test(bp.id) || RESERVED_IDS.includes(bp.id))
    problems.push('buildpack.id is missing or invalid');
  if (typeof bp.version !== 'string' || !/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(bp.version))
    problems.push('buildpack.version must be X.Y.Z');
  if (typeof bp.name !== 'string' || bp.name === '') problems.push('buildpack.name must be a non-empty string');
  if (bp['clear-env'] !== undefined && typeof bp['clear-env'] !== 'boolean') problems.push('buildpack.clear-env must be a boolean');
  if ('exec-env' in bp) problems.push('buildpack.exec-env is not decoded the same way by pack and the lifecycle; omit it');
  const formats: string[] = Object.values(SBOM_FORMATS);
  if (bp['sbom-formats'] !== undefined && !(isStringArray(bp['sbom-formats']) && bp['sbom-formats'].every((f) => formats.includes(f)))) {
    problems.push('buildpack.sbom-formats lists an unknown media type');
  }
  const licenses = Array.isArray(bp.licenses) ? bp.licenses : [];
  if (licenses.some((l: unknown) => !isTable(l) || (l.type === undefined && l.uri === undefined)))
    problems.push('every buildpack.licenses entry needs type or uri');
  if ('stacks' in table) problems.push('[[stacks]] is deprecated since Buildpack API 0.10; use [[targets]]');
  if ('order' in table && 'targets' in table) problems.push('[[order]] cannot go with [[targets]]');
  const targets = Array.isArray(table.targets) ? table.targets : [];
  for (const t of targets) {
    if (!isTable(t)) {
      problems.push('every [[targets]] entry must be a table');
      continue;
    }
    const extra = Object.keys(t).filter((k) => !['os', 'arch', 'variant', 'distros'].includes(k));
    if (extra.length) problems.push(`[[targets]] has unknown keys: ${extra.join(', ')}`);
    const distros = Array.isArray(t.distros) ? t.distros : [];
    if (distros.some((d: unknown) => !isTable(d) || typeof d.name !== 'string' || typeof d.version !== 'string'))
      problems.push('every [[targets.distros]] needs a string name and version');
  }
  return problems;
}

export function parseBuildpackToml(text: string, what = 'buildpack.toml'): BuildpackDescriptor {
  const table = parseToml(text, what);
  const problems = buildpackTomlProblems(table);
  if (problems.length) throw invalid(`${what}: ${problems.join('; ')}`);
  const bp = table.buildpack as TomlTable;
  return {
    api: table.api as string,
    id: bp.id as string,
    version: bp.version as string,
    name: bp.name as string,
    clearEnv: bp['clear-env'] === true,
    sbomFormats: (bp['sbom-formats'] as string[] | undefined) ?? [],
    targets: (Array.isArray(table.targets) ? table.targets : []) as TargetSpec[],
    metadata: isTable(table.metadata) ? table.metadata : {},
  };
}

/** The directory name the lifecycle gives a buildpack under `<layers>`. */
export function escapeBuildpackId(id: string): string {
  return id.replaceAll('/', '_');
}
