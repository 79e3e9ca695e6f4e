import { maxSatisfying, rcompare, satisfies, validRange } from '@renovatebot/pep440';
import type { App } from './app.js';
import { isTable, parseToml } from '../cnb/toml.js';
import { BuildError } from '../output/build-error.js';
import { shortCause } from '../output/render-error.js';

/** Where a Python version request came from, in the order they are read. */
export const VERSION_SOURCES = ['BP_CPYTHON_VERSION', '.python-version', 'runtime.txt', 'pyproject.toml', 'Pipfile', 'uv.lock'] as const;
export type VersionOrigin = (typeof VERSION_SOURCES)[number];

export interface RequestedVersion {
  origin: VersionOrigin;
  /** The request as the user wrote it. */
  text: string;
  /** The same request as a PEP 440 specifier. */
  specifier: string;
  /** Later lines of a .python-version, tried in order when this one matches nothing (as uv does). */
  alternatives?: RequestedVersion[];
}

/** A later source that could not be read: a warning, since the first source decides. */
export interface IgnoredRequest {
  origin: VersionOrigin;
  problem: string;
}

export interface ResolvedVersion {
  version: string;
  /** The request that decided it; absent when the default was used. */
  request?: RequestedVersion;
  /** A later request that the chosen version does not satisfy (the first source decides). */
  conflict?: { chosen: RequestedVersion & { version: string }; other: RequestedVersion & { version?: string } };
  /** A file request that BP_CPYTHON_VERSION overrode. */
  overridden?: RequestedVersion;
}

const PLAIN_VERSION = /^\d+\.\d+(\.\d+)?$/;

/** "3.12" → "==3.12.*", "3.12.7" → "==3.12.7", "3.12.*" → "==3.12.*"; specifiers pass through. */
export function toSpecifier(text: string): string | undefined {
  const t = text.trim();
  if (/^\d+\.\d+$/.test(t)) return `==${t}.*`;
  if (PLAIN_VERSION.test(t) || /^\d+\.\d+\.\*$/.test(t)) return `==${t}`;
  return t !== '' && validRange(t) ? t : undefined;
}

/** One line of .python-version as uv reads it: `3.12`, `3.12.7`, `cpython-3.12`, `cpython@3.12`, or a specifier. */
function versionFileLine(line: string): RequestedVersion | undefined {
  const bare = line.replace(/^cpython[-@]/i, '');
  const looksLikeVersion = PLAIN_VERSION.test(bare) || /^\d+\.\d+\.\*$/.test(bare) || /^[<>=!~]/.test(bare);
  const specifier = looksLikeVersion ? toSpecifier(bare) : undefined;
  return specifier ? { origin: '.python-version', text: bare, specifier } : undefined;
}

export function parsePythonVersionFile(contents: string): RequestedVersion {
  const lines = contents
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const requests = lines.map(versionFileLine);
  const [first, ...rest] = requests;
  if (!first || requests.some((r) => r === undefined)) {
    throw new BuildError({
      kind: 'python-version-invalid',
      origin: '.python-version',
      found: lines.join('\n') || contents,
      expected: 'python-version-file',
    });
  }
  const alternatives = rest.filter((r): r is RequestedVersion => r !== undefined);
  return alternatives.length ? { ...first, alternatives } : first;
}

export function parseRuntimeTxt(contents: string): RequestedVersion {
  const match = /^python-(\d+\.\d+(?:\.\d+)?)$/.exec(contents.trim());
  if (!match?.[1])
    throw new BuildError({ kind: 'python-version-invalid', origin: 'runtime.txt', found: contents.trim(), expected: 'runtime-txt' });
  return { origin: 'runtime.txt', text: match[1], specifier: toSpecifier(match[1]) as string };
}

function specifierRequest(origin: VersionOrigin, text: string): RequestedVersion {
  const specifier = toSpecifier(text);
  if (!specifier) throw new BuildError({ kind: 'python-version-invalid', origin, found: text, expected: 'specifier' });
  return { origin, text: text.trim(), specifier };
}

function tomlFile(files: App, name: string): Record<string, unknown> | undefined {
  const text = files.contents.get(name);
  if (text === undefined) return undefined;
  try {
    return parseToml(text, name);
  } catch (err) {
    throw new BuildError({ kind: 'python-version-unparsable', file: name, detail: (err as Error).message });
  }
}

function fromToml(files: App, origin: VersionOrigin, pick: (t: Record<string, unknown>) => unknown): RequestedVersion | undefined {
  const table = tomlFile(files, origin);
  const value = table && pick(table);
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new BuildError({ kind: 'python-version-invalid', origin, found: JSON.stringify(value), expected: 'specifier' });
  return specifierRequest(origin, value);
}

/**
 * Every request the app and the environment make, in source order. The first source decides,
 * so only its problems are errors; a later source that cannot be read is ignored with a warning.
 */
export function readRequestedVersions(
  files: App,
  envRequest: string | undefined,
): { requests: RequestedVersion[]; ignored: IgnoredRequest[] } {
  const sub = (t: unknown, key: string) => (isTable(t) ? t[key] : undefined);
  const readers: [VersionOrigin, () => RequestedVersion | undefined][] = [
    ['BP_CPYTHON_VERSION', () => (envRequest ? specifierRequest('BP_CPYTHON_VERSION', envRequest) : undefined)],
    [
      '.python-version',
      () => (files.contents.has('.python-version') ? parsePythonVersionFile(files.contents.get('.python-version') ?? '') : undefined),
    ],
    ['runtime.txt', () => (files.contents.has('runtime.txt') ? parseRuntimeTxt(files.contents.get('runtime.txt') ?? '') : undefined)],
    ['pyproject.toml', () => fromToml(files, 'pyproject.toml', (t) => sub(t.project, 'requires-python'))],
    ['Pipfile', () => fromToml(files, 'Pipfile', (t) => sub(t.requires, 'python_full_version') ?? sub(t.requires, 'python_version'))],
    ['uv.lock', () => fromToml(files, 'uv.lock', (t) => t['requires-python'])],
  ];
  const requests: RequestedVersion[] = [];
  const ignored: IgnoredRequest[] = [];
  for (const [origin, read] of readers) {
    try {
      const request = read();
      if (request) requests.push(request);
    } catch (err) {
      if (requests.length === 0 && ignored.length === 0) throw err;
      ignored.push({ origin, problem: shortCause(err) });
    }
  }
  return { requests, ignored };
}

/** The default: the newest patch of the newest stable minor available. */
export function defaultVersion(available: readonly string[]): string | undefined {
  return [...available].sort(rcompare)[0];
}

/** The request (or the first of its alternatives) that matches, with the newest version it matches. */
function best(request: RequestedVersion, available: readonly string[], arch: string): { request: RequestedVersion; version: string } {
  for (const r of [request, ...(request.alternatives ?? [])]) {
    const version = maxSatisfying([...available], r.specifier);
    if (version) return { request: r, version };
  }
  throw new BuildError({
    kind: 'python-version-unavailable',
    origin: request.origin,
    text: request.text,
    arch,
    available: [...available].sort(rcompare),
  });
}

/**
 * BP_CPYTHON_VERSION overrides the app. Among the app's files the first request decides:
 * the newest version it allows that also satisfies the later ones, else its own newest,
 * and the first later request it does not satisfy is reported.
 */
export function resolvePythonVersion(requests: readonly RequestedVersion[], available: readonly string[], arch: string): ResolvedVersion {
  const [first, ...rest] = requests;
  if (!first) {
    const version = defaultVersion(available);
    if (!version)
      throw new BuildError({ kind: 'python-version-unavailable', origin: 'The buildpack', text: 'any version', arch, available: [] });
    return { version };
  }
  const chosen = best(first, available, arch);
  if (first.origin === 'BP_CPYTHON_VERSION') {
    const overridden = rest.find((r) => !satisfies(chosen.version, r.specifier));
    return { version: chosen.version, request: chosen.request, ...(overridden ? { overridden } : {}) };
  }
  const candidates = available.filter((v) => [chosen.request, ...rest].every((r) => satisfies(v, r.specifier)));
  const agreed = maxSatisfying(candidates, chosen.request.specifier);
  if (agreed) return { version: agreed, request: chosen.request };
  const other = rest.find((r) => !satisfies(chosen.version, r.specifier)) as RequestedVersion;
  const otherVersion = maxSatisfying([...available], other.specifier) ?? undefined;
  return {
    version: chosen.version,
    request: chosen.request,
    conflict: {
      chosen: { ...chosen.request, version: chosen.version },
      other: { ...other, ...(otherVersion ? { version: otherVersion } : {}) },
    },
  };
}
