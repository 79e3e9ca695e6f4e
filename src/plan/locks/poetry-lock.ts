import { createHash } from 'node:crypto';
import { satisfies } from '@renovatebot/pep440';
import { isTable, type TomlTable } from '../../cnb/toml.js';
import { BuildError } from '../../output/build-error.js';
import { normalizeName } from '../requirements.js';
import { appRelative, readToml, str, strings, table, tables } from './common.js';
import { reachability, type Edge } from './graph.js';
import { ALWAYS, dnfAnd, dnfOf, marker, printDnf, selectionVariables, type Dnf } from './marker.js';
import { parseRequirement } from './pep508.js';
import { poetryToPep440, pythonConstraintMarker } from './poetry-constraint.js';
import { pythonJsonDumps } from './python-json.js';
import { checkTargetFiles, indexOptions, isPypi, pipHash } from './requirements-text.js';
import type { LockInput, LockPlan, LockedPackage } from './types.js';

const FILE = 'poetry.lock';
const LEGACY_KEYS = ['dependencies', 'source', 'extras', 'dev-dependencies'];
const RELEVANT_KEYS = [...LEGACY_KEYS, 'group'];
const PROJECT_KEYS = ['requires-python', 'dependencies', 'optional-dependencies'];

/**
 * The content-hash values Poetry may have written for this pyproject.toml: Poetry's
 * Locker._get_content_hash (sha256 of json.dumps(relevant, sort_keys=True)) as 2.x computes
 * it, with and without the [dependency-groups] newer versions add, and as 1.x computed it.
 */
export function poetryContentHashes(pyproject: TomlTable): string[] {
  const project = table(pyproject.project);
  const poetry = table(table(pyproject.tool).poetry);
  const relevantProject = Object.fromEntries(PROJECT_KEYS.filter((k) => project[k] !== undefined).map((k) => [k, project[k]]));
  const hasProject = Object.keys(relevantProject).length > 0;
  const relevantPoetry = (legacyNulls: boolean) =>
    Object.fromEntries(
      RELEVANT_KEYS.filter((k) => poetry[k] !== undefined || (LEGACY_KEYS.includes(k) && legacyNulls)).map((k) => [k, poetry[k] ?? null]),
    );
  const sha = (data: unknown) => createHash('sha256').update(pythonJsonDumps(data), 'utf8').digest('hex');
  const candidates = [sha(relevantPoetry(true))];
  if (hasProject) {
    const v2 = { project: relevantProject, tool: { poetry: relevantPoetry(false) } };
    candidates.push(sha(v2));
    if (pyproject['dependency-groups'] !== undefined) candidates.push(sha({ ...v2, 'dependency-groups': pyproject['dependency-groups'] }));
  }
  return [...new Set(candidates)];
}

/** One constraint of a dependency, from pyproject.toml or the lock: a string, a table, or (multiple constraints) an array. */
interface Constraint {
  name: string;
  version: string;
  marker: Dnf;
  extras: string[];
  optional: boolean;
}

function constraintsOf(name: string, value: unknown, vars: ReturnType<typeof selectionVariables>): Constraint[] {
  return (Array.isArray(value) ? value : [value]).map((v) => {
    const t: TomlTable = isTable(v) ? v : { version: typeof v === 'string' ? v : '*' };
    const markers = [
      str(t.markers),
      str(t.python) ? pythonConstraintMarker(str(t.python) as string) : undefined,
      str(t.platform) ? `sys_platform == "${str(t.platform)}"` : undefined,
    ];
    let dnf: Dnf = ALWAYS;
    for (const m of markers) {
      try {
        dnf = dnfAnd(dnf, dnfOf(marker(m, vars)));
      } catch (err) {
        throw new BuildError({
          kind: 'lock-malformed',
          file: FILE,
          defect: { defect: 'marker', of: 'dependency-on', package: name, detail: (err as Error).message },
        });
      }
    }
    return {
      name: normalizeName(name),
      version: str(t.version) ?? '*',
      marker: dnf,
      extras: strings(t.extras).map(normalizeName),
      optional: t.optional === true,
    };
  });
}

const NO_SELECTION = selectionVariables(new Set(), new Set(), normalizeName);

/** The project's main dependencies, from [tool.poetry.dependencies] and [project].dependencies; optional ones only come with extras. */
function rootConstraints(pyproject: TomlTable): Constraint[] {
  const fromPoetry = Object.entries(table(table(table(pyproject.tool).poetry).dependencies))
    .filter(([name]) => name.toLowerCase() !== 'python')
    .flatMap(([name, value]) => constraintsOf(name, value, NO_SELECTION));
  const fromProject = strings(table(pyproject.project).dependencies).map((text): Constraint => {
    const req = parseRequirement(text);
    if (!req) throw new BuildError({ kind: 'project-requirement-invalid', file: 'pyproject.toml', text });
    return {
      name: req.name,
      version: req.specifier || '*',
      marker: dnfOf(marker(req.marker, NO_SELECTION)),
      extras: req.extras,
      optional: false,
    };
  });
  return [...fromPoetry, ...fromProject].filter((c) => !c.optional);
}

interface PoetryPackage {
  name: string;
  version: string;
  raw: TomlTable;
}

function matchingPackages(packages: PoetryPackage[], c: Constraint, owner: string): number[] {
  const candidates = packages.flatMap((p, i) => (normalizeName(p.name) === c.name ? [i] : []));
  if (!candidates.length)
    throw new BuildError({ kind: 'lock-out-of-date', file: FILE, tool: 'poetry', stale: { why: 'not-locked', owner, packages: [c.name] } });
  if (candidates.length === 1) return candidates;
  // several locked versions (Poetry's multiple-constraints dependencies): the one this constraint allows
  const specs = poetryToPep440(c.version);
  const allowed = candidates.filter((i) => specs.some((s) => s === '' || satisfies((packages[i] as PoetryPackage).version, s)));
  return allowed.length ? allowed : candidates;
}

/** Names an extra of a locked package pulls in: "PySocks (>=1.5.6,!=1.5.7)" → pysocks. */
function extraNames(pkg: PoetryPackage, extra: string): Set<string> {
  const entry = Object.entries(table(pkg.raw.extras)).find(([name]) => normalizeName(name) === extra);
  return new Set(strings(entry?.[1]).map((s) => normalizeName(/^\s*([A-Za-z0-9._-]+)/.exec(s)?.[1] ?? s)));
}

function filesOf(lock: TomlTable, pkg: PoetryPackage): TomlTable[] {
  if (Array.isArray(pkg.raw.files)) return tables(pkg.raw.files);
  const byName = (t: unknown) => Object.entries(table(t)).find(([name]) => normalizeName(name) === normalizeName(pkg.name))?.[1];
  // the oldest locks: bare sha256 digests in [metadata.hashes]
  const bare = strings(byName(table(lock.metadata).hashes));
  if (bare.length) return bare.map((hex) => ({ file: '', hash: `sha256:${hex}` }));
  // lock 1.x: [metadata.files] by name, for every locked version of that name
  const files = tables(byName(table(lock.metadata).files));
  const version = pkg.version.toLowerCase();
  const mine = files.filter((f) => {
    const name = (str(f.file) ?? '').toLowerCase();
    return name.endsWith('.whl') ? name.split('-')[1] === version : name.replace(/\.(tar\.gz|zip|tar\.bz2)$/, '').endsWith(`-${version}`);
  });
  return mine.length ? mine : files;
}

function lockedPackage(input: LockInput, lock: TomlTable, p: PoetryPackage, dnf: Dnf): LockedPackage {
  const source = table(p.raw.source);
  const type = str(source.type);
  if (type !== undefined && type !== 'legacy')
    throw new BuildError({
      kind: 'lock-source-unsupported',
      file: FILE,
      package: p.name,
      source:
        type === 'git'
          ? { kind: 'vcs', vcs: 'git', location: str(source.url) ?? '' }
          : { kind: type === 'url' ? 'url' : 'file', location: str(source.url) ?? '' },
    });
  const files = filesOf(lock, p);
  const hashes = files.map((f) => pipHash(str(f.hash) ?? '')).filter((h): h is string => h !== undefined);
  if (!hashes.length) throw new BuildError({ kind: 'lock-hash-missing', file: FILE, package: p.name });
  const url = str(source.url);
  const text = printDnf(dnf);
  const pkg: LockedPackage = {
    name: p.name,
    version: p.version,
    hashes,
    filenames: files.map((f) => str(f.file) ?? '').filter(Boolean),
    ...(text ? { marker: text } : {}),
    ...(url && !isPypi(url) ? { index: url } : {}),
  };
  checkTargetFiles(FILE, pkg, input.target);
  return pkg;
}

/** Lock 2.1 records each package's groups and the marker under which it is installed. */
function selectByGroups(packages: PoetryPackage[]): Map<number, Dnf> {
  const selected = new Map<number, Dnf>();
  packages.forEach((p, i) => {
    if (!strings(p.raw.groups).includes('main') || p.raw.optional === true) return;
    const m = isTable(p.raw.markers) ? str(p.raw.markers.main) : str(p.raw.markers);
    try {
      const dnf = dnfOf(marker(m === '*' ? undefined : m, NO_SELECTION));
      if (dnf.length) selected.set(i, dnf);
    } catch (err) {
      throw new BuildError({
        kind: 'lock-malformed',
        file: FILE,
        defect: { defect: 'marker', of: 'package', package: p.name, detail: (err as Error).message },
      });
    }
  });
  return selected;
}

/** Older locks: walk from the main dependencies over the locked packages' dependencies and extras. */
function selectByGraph(packages: PoetryPackage[], roots: Constraint[]): Map<number, Dnf> {
  const toEdges = (cs: Constraint[], owner: string): Edge[] =>
    cs.flatMap((c) => matchingPackages(packages, c, owner).map((target) => ({ target, marker: c.marker, extras: c.extras })));
  return reachability(toEdges(roots, 'pyproject.toml'), (i, extra) => {
    const p = packages[i] as PoetryPackage;
    const vars = selectionVariables(new Set(extra === undefined ? [] : [extra]), new Set(), normalizeName);
    const wanted = extra === undefined ? undefined : extraNames(p, extra);
    const deps = Object.entries(table(p.raw.dependencies))
      .flatMap(([name, value]) => constraintsOf(name, value, vars))
      .filter((c) => (wanted ? c.optional && wanted.has(c.name) : !c.optional));
    return toEdges(deps, p.name);
  });
}

/** poetry.lock's main group (never dev or other groups), as `poetry install --only main` installs it. */
export function readPoetryLock(input: LockInput): LockPlan {
  const lock = readToml(input, FILE) ?? {};
  const pyproject = readToml(input, 'pyproject.toml');
  if (!pyproject)
    throw new BuildError({ kind: 'lock-out-of-date', file: FILE, tool: 'poetry', stale: { why: 'no-pyproject', tool: 'Poetry' } });
  const metadata = table(lock.metadata);
  const lockVersion = str(metadata['lock-version']) ?? '1.0';
  if (!/^[12]\.\d+$/.test(lockVersion))
    throw new BuildError({ kind: 'lock-version-unsupported', file: FILE, version: lockVersion, supported: 'lock-version 1.x and 2.x' });
  const hashes = poetryContentHashes(pyproject);
  const recorded = str(metadata['content-hash']);
  if (!recorded || !hashes.includes(recorded)) {
    throw new BuildError({
      kind: 'lock-out-of-date',
      file: FILE,
      tool: 'poetry',
      stale: {
        why: 'hash',
        source: 'pyproject.toml',
        field: 'content-hash',
        actual: hashes[hashes.length - 1] as string,
        ...(recorded ? { recorded } : {}),
      },
    });
  }
  const pythons = str(metadata['python-versions']);
  if (pythons && !poetryToPep440(pythons).some((s) => s === '' || satisfies(input.target.python, s))) {
    throw new BuildError({ kind: 'lock-python-mismatch', file: FILE, requires: pythons, python: input.target.python });
  }
  const packages: PoetryPackage[] = tables(lock.package).map((raw) => ({
    name: str(raw.name) ?? '',
    version: str(raw.version) ?? '',
    raw,
  }));
  const roots = rootConstraints(pyproject);
  for (const root of roots) matchingPackages(packages, root, 'pyproject.toml');
  const [major, minor] = lockVersion.split('.').map(Number) as [number, number];
  const selected = major === 2 && minor >= 1 ? selectByGroups(packages) : selectByGraph(packages, roots);

  const locked: LockedPackage[] = [];
  const localProjects: string[] = [];
  for (const [i, dnf] of selected) {
    const p = packages[i] as PoetryPackage;
    const source = table(p.raw.source);
    if (str(source.type) === 'directory') {
      const dir = appRelative(str(source.url) ?? '/');
      if (dir === undefined)
        throw new BuildError({
          kind: 'lock-source-unsupported',
          file: FILE,
          package: p.name,
          source: { kind: 'directory-outside', location: String(str(source.url)) },
        });
      localProjects.push(dir);
      continue;
    }
    locked.push(lockedPackage(input, lock, p, dnf));
  }
  const poetry = table(table(pyproject.tool).poetry);
  if (poetry['package-mode'] !== false && isTable(pyproject['build-system'])) localProjects.push('.');
  return {
    tool: 'poetry',
    file: FILE,
    packages: locked,
    indexes: indexOptions(locked.map((p) => p.index)),
    localProjects: [...new Set(localProjects)].sort(),
    keyFiles: new Map([[FILE, input.contents.get(FILE) ?? '']]),
  };
}
