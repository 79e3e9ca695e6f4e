import { satisfies } from '@renovatebot/pep440';
import { isTable, type TomlTable } from '../../cnb/toml.js';
import { BuildError } from '../../output/build-error.js';
import { normalizeName } from '../requirements.js';
import { appRelative, fileNameOf, readToml, str, strings, table, tables } from './common.js';
import { reachability, type Edge } from './graph.js';
import { dnfAnd, dnfOf, dnfOr, marker, NEVER, printDnf, type Dnf, type MarkerVariables } from './marker.js';
import { normalizeSpecifier, parseRequirement } from './pep508.js';
import { checkTargetFiles, indexOptions, isPypi, pipHash } from './requirements-text.js';
import type { LockInput, LockPlan, LockedPackage } from './types.js';

const FILE = 'uv.lock';

interface UvPackage {
  name: string;
  version: string | undefined;
  source: TomlTable;
  raw: TomlTable;
}

/**
 * uv's conflict markers (`extra == 'extra-3-app-cpu'`, `extra == 'group-3-app-dev'`) say which
 * of the project's extras or groups are active: pywarp activates none, as `uv sync
 * --no-default-groups` does. Other markers are pip's to evaluate.
 */
const conflictVariables: MarkerVariables = (variable, op, value) => {
  if (variable !== 'extra' || !/^(extra|group)-\d+-/.test(value)) return undefined;
  return op === '==' ? false : op === '!=' ? true : undefined;
};

function edgeMarker(text: string | undefined, owner: string): Dnf {
  try {
    return dnfOf(marker(text, conflictVariables));
  } catch (err) {
    throw new BuildError({
      kind: 'lock-malformed',
      file: FILE,
      defect: { defect: 'marker', of: 'dependency-of', package: owner, detail: (err as Error).message },
    });
  }
}

const sameSource = (a: TomlTable, b: unknown) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(table(b)).sort());

function resolveEdge(packages: UvPackage[], owner: UvPackage, dep: TomlTable): number[] {
  const name = normalizeName(str(dep.name) ?? '');
  const candidates = packages.map((p, i) => [p, i] as const).filter(([p]) => normalizeName(p.name) === name);
  const matching = candidates.filter(
    ([p]) => (dep.version === undefined || p.version === dep.version) && (dep.source === undefined || sameSource(p.source, dep.source)),
  );
  if (matching.length === 0)
    throw new BuildError({
      kind: 'lock-out-of-date',
      file: FILE,
      tool: 'uv',
      stale: { why: 'not-locked', owner: owner.name, packages: [name] },
    });
  return matching.map(([, i]) => i);
}

function isLocalProject(source: TomlTable): string | undefined {
  return str(source.editable) ?? str(source.directory) ?? str(source.virtual);
}

/** The project's dependencies as uv recorded them, against what pyproject.toml declares now. */
function checkFresh(input: LockInput, root: UvPackage | undefined): void {
  const pyproject = readToml(input, 'pyproject.toml');
  if (!pyproject) throw new BuildError({ kind: 'lock-out-of-date', file: FILE, tool: 'uv', stale: { why: 'no-pyproject', tool: 'uv' } });
  const project = table(pyproject.project);
  if (!root || !isTable(project) || strings(project.dynamic).includes('dependencies')) return;
  const key = (name: string, extras: string[], spec: string) =>
    `${normalizeName(name)}[${extras.map(normalizeName).sort().join(',')}]${spec}`;
  const declared = [...strings(project.dependencies), ...Object.values(table(project['optional-dependencies'])).flatMap(strings)]
    .map((text) => {
      const req = parseRequirement(text);
      if (!req) throw new BuildError({ kind: 'project-requirement-invalid', file: 'pyproject.toml', text });
      return key(req.name, req.extras, req.specifier);
    })
    .sort();
  const recorded = tables(table(root.raw.metadata)['requires-dist'])
    .map((r) => key(str(r.name) ?? '', strings(r.extras), normalizeSpecifier(str(r.specifier) ?? '')))
    .sort();
  const missing = declared.filter((d) => !recorded.includes(d));
  const gone = recorded.filter((r) => !declared.includes(r));
  if (missing.length || gone.length) {
    throw new BuildError({
      kind: 'lock-out-of-date',
      file: FILE,
      tool: 'uv',
      stale: { why: 'requires-dist', added: missing, removed: gone },
    });
  }
}

function lockedPackage(input: LockInput, p: UvPackage, dnf: Dnf): LockedPackage {
  const registry = str(p.source.registry);
  if (registry === undefined) {
    const [kind, where] = Object.entries(p.source)[0] ?? ['an unknown source', ''];
    throw new BuildError({
      kind: 'lock-source-unsupported',
      file: FILE,
      package: p.name,
      source:
        kind === 'path' || kind === 'url'
          ? { kind: kind === 'path' ? 'file' : 'url', location: String(where) }
          : { kind: 'vcs', vcs: kind, location: String(where) },
    });
  }
  if (!/^https?:\/\//.test(registry))
    throw new BuildError({
      kind: 'lock-source-unsupported',
      file: FILE,
      package: p.name,
      source: { kind: 'local-index', location: registry },
    });
  if (!p.version) throw new BuildError({ kind: 'lock-malformed', file: FILE, defect: { defect: 'no-version', package: p.name } });
  const files = [...(isTable(p.raw.sdist) ? [p.raw.sdist] : []), ...tables(p.raw.wheels)];
  const hashes = files.map((f) => (str(f.hash) ? pipHash(str(f.hash) as string) : undefined)).filter((h): h is string => h !== undefined);
  if (!hashes.length) throw new BuildError({ kind: 'lock-hash-missing', file: FILE, package: p.name });
  const text = printDnf(dnf);
  const pkg: LockedPackage = {
    name: p.name,
    version: p.version,
    hashes,
    filenames: files.map(fileNameOf),
    ...(text ? { marker: text } : {}),
    ...(isPypi(registry) ? {} : { index: registry }),
  };
  checkTargetFiles(FILE, pkg, input.target);
  return pkg;
}

/**
 * uv.lock as `uv sync --locked --no-default-groups` installs it: the project (or, in a virtual
 * workspace, every member) and what it depends on, following extras requested on edges,
 * never dependency groups.
 */
export function readUvLock(input: LockInput): LockPlan {
  const lock = readToml(input, FILE) ?? {};
  if (lock.version !== 1)
    throw new BuildError({ kind: 'lock-version-unsupported', file: FILE, version: String(lock.version), supported: 'version 1' });
  const requiresPython = str(lock['requires-python']);
  if (requiresPython && !satisfies(input.target.python, requiresPython))
    throw new BuildError({ kind: 'lock-python-mismatch', file: FILE, requires: requiresPython, python: input.target.python });
  const packages: UvPackage[] = tables(lock.package).map((raw) => ({
    name: str(raw.name) ?? '',
    version: str(raw.version),
    source: table(raw.source),
    raw,
  }));

  const rootIndex = packages.findIndex((p) => appRelative(isLocalProject(p.source) ?? '/') === '.');
  const members = new Set(strings(table(lock.manifest).members).map(normalizeName));
  const roots = rootIndex >= 0 ? [rootIndex] : packages.flatMap((p, i) => (members.has(normalizeName(p.name)) ? [i] : []));
  if (!roots.length) throw new BuildError({ kind: 'lock-out-of-date', file: FILE, tool: 'uv', stale: { why: 'no-root' } });
  checkFresh(input, packages[rootIndex]);

  const edges = (owner: UvPackage, deps: unknown): Edge[] =>
    tables(deps).flatMap((dep) => {
      const m = edgeMarker(str(dep.marker), owner.name);
      return resolveEdge(packages, owner, dep).map((target) => ({ target, marker: m, extras: strings(dep.extra).map(normalizeName) }));
    });
  const reached = reachability(
    roots.map((target) => ({ target, marker: [[]], extras: [] })),
    (i, extra) => {
      const p = packages[i] as UvPackage;
      if (extra === undefined) return edges(p, p.raw.dependencies);
      const optional = Object.entries(table(p.raw['optional-dependencies'])).find(([name]) => normalizeName(name) === extra);
      return optional ? edges(p, optional[1]) : [];
    },
  );

  const versions = new Map<string, number>();
  for (const i of reached.keys()) {
    const name = normalizeName((packages[i] as UvPackage).name);
    versions.set(name, (versions.get(name) ?? 0) + 1);
  }
  const locked: LockedPackage[] = [];
  const localProjects: string[] = [];
  for (const [i, reach] of reached) {
    const p = packages[i] as UvPackage;
    const local = isLocalProject(p.source);
    if (local !== undefined) {
      const dir = appRelative(local);
      if (dir === undefined)
        throw new BuildError({
          kind: 'lock-source-unsupported',
          file: FILE,
          package: p.name,
          source: { kind: 'directory-outside', location: local },
        });
      if (p.source.virtual === undefined) localProjects.push(dir);
      continue;
    }
    // a version that only some forks use: its edges carry the fork, and resolution-markers say it too
    const forks = strings(p.raw['resolution-markers']);
    const dnf =
      (versions.get(normalizeName(p.name)) ?? 0) > 1 && forks.length
        ? dnfAnd(reach, forks.map((f) => edgeMarker(f, p.name)).reduce(dnfOr, NEVER))
        : reach;
    locked.push(lockedPackage(input, p, dnf));
  }
  return {
    tool: 'uv',
    file: FILE,
    packages: locked,
    indexes: indexOptions(locked.map((p) => p.index)),
    localProjects: localProjects.sort(),
    keyFiles: new Map([[FILE, input.contents.get(FILE) ?? '']]),
  };
}
