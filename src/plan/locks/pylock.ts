import { satisfies } from '@renovatebot/pep440';
import { isTable, type TomlTable } from '../../cnb/toml.js';
import { BuildError } from '../../output/build-error.js';
import { normalizeName } from '../requirements.js';
import { appRelative, fileNameOf, readToml, str, strings, table, tables } from './common.js';
import { parseRequirement } from './pep508.js';
import { marker, printMarker, selectionVariables } from './marker.js';
import { checkTargetFiles, indexOptions, isPypi, pipHash } from './requirements-text.js';
import type { LockInput, LockPlan, LockedPackage } from './types.js';

function hashesOf(file: TomlTable): string[] {
  return Object.entries(table(file.hashes)).flatMap(([algo, hex]) => {
    const h = typeof hex === 'string' ? pipHash(hex, algo) : undefined;
    return h ? [h] : [];
  });
}

/** PEP 751 records nothing to compare with pyproject.toml but the packages: each direct dependency must be there. */
function checkDirectDependencies(input: LockInput, file: string, names: string[]): void {
  const project = table(readToml(input, 'pyproject.toml')?.project);
  if (strings(project.dynamic).includes('dependencies')) return;
  const locked = new Set(names.map(normalizeName));
  const missing = strings(project.dependencies)
    .map((d) => parseRequirement(d)?.name)
    .filter((n): n is string => n !== undefined && !locked.has(n));
  if (missing.length)
    throw new BuildError({
      kind: 'lock-out-of-date',
      file,
      tool: 'pylock',
      stale: { why: 'not-locked', owner: 'pyproject.toml', packages: missing },
    });
}

/**
 * A PEP 751 lock: every package whose marker holds, with the lock's default groups and no
 * extras. pywarp decides the `extras` and `dependency_groups` comparisons (pip's marker
 * evaluation does not know them in requirements files); pip evaluates the rest.
 */
export function readPylock(input: LockInput): LockPlan {
  const file = input.file;
  const lock = readToml(input, file) ?? {};
  const version = str(lock['lock-version']) ?? '';
  if (!/^1(\.\d+)?$/.test(version))
    throw new BuildError({ kind: 'lock-version-unsupported', file, version, supported: 'lock-version 1.0' });
  const requiresPython = str(lock['requires-python']);
  if (requiresPython && !satisfies(input.target.python, requiresPython))
    throw new BuildError({ kind: 'lock-python-mismatch', file, requires: requiresPython, python: input.target.python });
  const vars = selectionVariables(new Set(), new Set(strings(lock['default-groups']).map(normalizeName)), normalizeName);

  const packages: LockedPackage[] = [];
  const localProjects: string[] = [];
  for (const p of tables(lock.packages)) {
    const name = str(p.name) ?? '';
    let m;
    try {
      m = marker(str(p.marker), vars);
    } catch (err) {
      throw new BuildError({
        kind: 'lock-malformed',
        file,
        defect: { defect: 'marker', of: 'package', package: name, detail: (err as Error).message },
      });
    }
    if (m === false) continue;
    if (isTable(p.directory)) {
      const dir = appRelative(str(p.directory.path) ?? '/');
      if (dir === undefined)
        throw new BuildError({
          kind: 'lock-source-unsupported',
          file,
          package: name,
          source: { kind: 'directory-outside', location: String(str(p.directory.path)) },
        });
      localProjects.push(dir);
      continue;
    }
    if (isTable(p.vcs))
      throw new BuildError({
        kind: 'lock-source-unsupported',
        file,
        package: name,
        source: { kind: 'vcs', vcs: str(p.vcs.type) ?? 'version control', location: str(p.vcs.url) ?? str(p.vcs.path) ?? '' },
      });
    if (isTable(p.archive))
      throw new BuildError({
        kind: 'lock-source-unsupported',
        file,
        package: name,
        source: { kind: 'archive', location: str(p.archive.url) ?? str(p.archive.path) ?? '' },
      });
    const version = str(p.version);
    if (!version) throw new BuildError({ kind: 'lock-malformed', file, defect: { defect: 'no-version', package: name } });
    const files = [...(isTable(p.sdist) ? [p.sdist] : []), ...tables(p.wheels)];
    const hashes = files.flatMap(hashesOf);
    if (!hashes.length) throw new BuildError({ kind: 'lock-hash-missing', file, package: name });
    const index = str(p.index);
    const pkg: LockedPackage = {
      name,
      version,
      hashes,
      filenames: files.map(fileNameOf),
      ...(m === true ? {} : { marker: printMarker(m) }),
      ...(index && !isPypi(index) ? { index } : {}),
    };
    checkTargetFiles(file, pkg, input.target);
    packages.push(pkg);
  }
  checkDirectDependencies(
    input,
    file,
    packages.map((p) => p.name),
  );
  return {
    tool: 'pylock',
    file,
    packages,
    indexes: indexOptions(packages.map((p) => p.index)),
    localProjects: [...new Set(localProjects)].sort(),
    keyFiles: new Map([[file, input.contents.get(file) ?? '']]),
  };
}
