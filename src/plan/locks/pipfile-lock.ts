import { createHash } from 'node:crypto';
import { BuildError } from '../../output/build-error.js';
import { normalizeName } from '../requirements.js';
import { appRelative, readToml, str, strings, table } from './common.js';
import { pythonJsonDumps } from './python-json.js';
import { expandVariables, isPypi, pipHash } from './requirements-text.js';
import type { IndexOptions, LockInput, LockPlan, LockedPackage } from './types.js';

const FILE = 'Pipfile.lock';
const DEFAULT_SOURCE = { name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true };
// Pipfile sections that are not package categories (plette's PIPFILE_SECTIONS and the rest it skips)
const NOT_CATEGORIES = new Set(['source', 'packages', 'dev-packages', 'requires', 'scripts', 'pipenv', 'default', 'develop']);

/**
 * The Pipfile hashes Pipenv may have written into _meta.hash: plette's Pipfile.get_hash(),
 * sha256 of compact sorted JSON, with and without the custom package categories newer
 * versions add.
 */
export function pipfileHashes(pipfile: Record<string, unknown>): string[] {
  const base: Record<string, unknown> = {
    _meta: { sources: pipfile.source ?? [DEFAULT_SOURCE], requires: pipfile.requires ?? {} },
    default: pipfile.packages ?? {},
    develop: pipfile['dev-packages'] ?? {},
  };
  const withCategories = { ...base };
  for (const [key, value] of Object.entries(pipfile)) if (!NOT_CATEGORIES.has(key)) withCategories[key] = value;
  const sha = (data: unknown) =>
    createHash('sha256')
      .update(pythonJsonDumps(data, [',', ':']), 'utf8')
      .digest('hex');
  return [...new Set([sha(base), sha(withCategories)])];
}

function parseLock(text: string | undefined): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(text ?? '');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('it is not a JSON object');
    return data as Record<string, unknown>;
  } catch (err) {
    throw new BuildError({ kind: 'lock-unreadable', file: FILE, detail: (err as Error).message });
  }
}

function checkFresh(input: LockInput, lock: Record<string, unknown>): void {
  const pipfile = readToml(input, 'Pipfile');
  if (!pipfile) return;
  const recorded = str(table(table(lock._meta).hash).sha256);
  const hashes = pipfileHashes(pipfile);
  if (!recorded || !hashes.includes(recorded)) {
    throw new BuildError({
      kind: 'lock-out-of-date',
      file: FILE,
      tool: 'pipenv',
      stale: { why: 'hash', source: 'Pipfile', field: 'hash', actual: hashes[0] as string, ...(recorded ? { recorded } : {}) },
    });
  }
  const locked = new Set(Object.keys(table(lock.default)).map(normalizeName));
  const missing = Object.keys(table(pipfile.packages)).filter((n) => !locked.has(normalizeName(n)));
  if (missing.length)
    throw new BuildError({
      kind: 'lock-out-of-date',
      file: FILE,
      tool: 'pipenv',
      stale: { why: 'not-locked', owner: 'The Pipfile', packages: missing },
    });
}

function sourcesOf(input: LockInput, lock: Record<string, unknown>): { name: string; url: string; verify: boolean }[] {
  const sources = Array.isArray(table(lock._meta).sources) ? (table(lock._meta).sources as unknown[]).map(table) : [];
  return (sources.length ? sources : [DEFAULT_SOURCE]).map((s) => ({
    name: str(s.name) ?? '',
    url: expandVariables(str(s.url) ?? '', input.env, FILE),
    verify: s.verify_ssl !== false,
  }));
}

/** Pipenv's sources in order: the first is the index pip starts from, the others are added. */
function pipfileIndexes(sources: { url: string; verify: boolean }[]): IndexOptions {
  const [first, ...rest] = sources;
  const hostOf = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return undefined;
    }
  };
  return {
    ...(first && !isPypi(first.url) ? { indexUrl: first.url } : {}),
    extraIndexUrls: rest.map((s) => s.url).filter((u) => !isPypi(u)),
    trustedHosts: sources
      .filter((s) => !s.verify)
      .map((s) => hostOf(s.url))
      .filter((h): h is string => h !== undefined),
  };
}

/** Pipfile.lock's `default` section (never `develop`) as pinned, hashed requirements. */
export function readPipfileLock(input: LockInput): LockPlan {
  const lock = parseLock(input.contents.get(FILE));
  const spec = table(lock._meta)['pipfile-spec'];
  if (spec !== undefined && spec !== 6)
    throw new BuildError({ kind: 'lock-version-unsupported', file: FILE, version: String(spec), supported: 'pipfile-spec 6' });
  checkFresh(input, lock);
  const sources = sourcesOf(input, lock);
  const packages: LockedPackage[] = [];
  const localProjects: string[] = [];
  for (const [name, value] of Object.entries(table(lock.default))) {
    const entry = table(value);
    const path = str(entry.path);
    if (path !== undefined) {
      const dir = appRelative(path);
      if (dir === undefined || str(entry.file))
        throw new BuildError({ kind: 'lock-source-unsupported', file: FILE, package: name, source: { kind: 'path', location: path } });
      localProjects.push(dir);
      continue;
    }
    for (const vcs of ['git', 'hg', 'svn', 'bzr', 'file']) {
      if (entry[vcs] !== undefined)
        throw new BuildError({
          kind: 'lock-source-unsupported',
          file: FILE,
          package: name,
          source: vcs === 'file' ? { kind: 'url', location: String(entry[vcs]) } : { kind: 'vcs', vcs, location: String(entry[vcs]) },
        });
    }
    const version = /^==\s*(\S+)$/.exec(str(entry.version) ?? '')?.[1];
    if (!version)
      throw new BuildError({
        kind: 'lock-malformed',
        file: FILE,
        defect: { defect: 'no-version', package: name, expected: '"version": "==X"' },
      });
    const hashes = strings(entry.hashes)
      .map((h) => pipHash(h))
      .filter((h): h is string => h !== undefined);
    if (!hashes.length) throw new BuildError({ kind: 'lock-hash-missing', file: FILE, package: name });
    const index = sources.find((s) => s.name === str(entry.index))?.url;
    const pkg: LockedPackage = {
      name,
      version,
      hashes,
      filenames: [],
      ...(str(entry.markers) ? { marker: str(entry.markers) } : {}),
      ...(index && !isPypi(index) ? { index } : {}),
    };
    packages.push(pkg);
  }
  const keyFiles = new Map([[FILE, input.contents.get(FILE) ?? '']]);
  return { tool: 'pipenv', file: FILE, packages, indexes: pipfileIndexes(sources), localProjects, keyFiles };
}
