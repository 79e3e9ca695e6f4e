import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Binding } from '../src/cnb/bindings.js';
import type { Target } from '../src/cnb/context.js';
import type { Env } from '../src/cnb/env.js';
import { commitLayer, discardLayer, openLayer, type LayerDefinition } from '../src/cnb/layer.js';
import { layerDirEntries, writeLayerEnv, type EnvEntry, type LayerEnv } from '../src/cnb/layer-env.js';
import { writeCycloneDx } from '../src/cnb/sbom.js';
import type { TomlTable } from '../src/cnb/toml.js';
import type { Dependency } from '../src/plan/cpython-table.js';
import { downloadSource } from '../src/plan/dependency-uri.js';
import { DownloadError, downloadVerified, type Progress } from '../src/effects/download.js';
import { ArchiveError, extractTarGz } from '../src/effects/extract.js';
import { formatBytes, formatDuration, type Log } from '../src/output/log.js';
import { cpython as msg, rebuilding } from '../src/output/messages.js';
import { BuildError } from '../src/output/build-error.js';
import type { Failure } from '../src/output/failures.js';
import { rehashPycs } from '../src/effects/pyc.js';
import { redactUrls } from '../src/plan/pip-binding.js';
import { minorOf } from '../src/plan/python-minor.js';

export const CPYTHON_LAYER = 'cpython';

export interface CpythonMetadata {
  version: string;
  sha256: string;
  os: string;
  arch: string;
  distroName: string;
  distroVersion: string;
}

export function cpythonMetadata(dep: Dependency, target: Target): CpythonMetadata {
  return {
    version: dep.version,
    sha256: dep.sha256,
    os: target.os,
    arch: target.arch,
    distroName: target.distroName ?? '',
    distroVersion: target.distroVersion ?? '',
  };
}

export function readCpythonMetadata(raw: TomlTable): CpythonMetadata | undefined {
  const keys = ['version', 'sha256', 'os', 'arch', 'distroName', 'distroVersion'] as const;
  if (!keys.every((k) => typeof raw[k] === 'string')) return undefined;
  return Object.fromEntries(keys.map((k) => [k, raw[k]])) as unknown as CpythonMetadata;
}

/** Why a cached runtime cannot be used; every field is compared so a new one forces a decision. */
export function cpythonInvalidationReasons(cached: CpythonMetadata, next: CpythonMetadata): string[] {
  const { version, sha256, os: targetOs, arch, distroName, distroVersion } = cached;
  const reasons: string[] = [];
  if (version !== next.version) reasons.push(msg.reasonVersion(next.version));
  else if (sha256 !== next.sha256) reasons.push(msg.reasonSha256);
  if (targetOs !== next.os || arch !== next.arch) reasons.push(msg.reasonTarget(`${next.os}/${next.arch}`));
  if (distroName !== next.distroName || distroVersion !== next.distroVersion)
    reasons.push(msg.reasonDistro(`${next.distroName} ${next.distroVersion}`.trim() || 'unknown'));
  return reasons;
}

/** Pinned so rebuilt .pyc files and archives don't vary with the clock (Heroku uses the same value). */
export const SOURCE_DATE_EPOCH = '315532801';

export function cpythonEnv(layerPath: string, version: string): EnvEntry[] {
  const minor = minorOf(version);
  return [
    { scope: 'all', action: 'default', name: 'PYTHONUNBUFFERED', value: '1' },
    { scope: 'build', action: 'override', name: 'SOURCE_DATE_EPOCH', value: SOURCE_DATE_EPOCH },
    // The lifecycle wires bin/ and lib/ only: C extensions built by later steps need the headers.
    { scope: 'build', action: 'prepend', name: 'CPATH', value: path.join(layerPath, 'include', `python${minor}`), delim: ':' },
    { scope: 'build', action: 'prepend', name: 'PKG_CONFIG_PATH', value: path.join(layerPath, 'lib', 'pkgconfig'), delim: ':' },
  ];
}

export interface CpythonInstall {
  layersDir: string;
  dependency: Dependency;
  target: Target;
  config: Env;
  bindings: readonly Binding[];
  /** The build machine can execute the target's binaries (same architecture). */
  canRunTarget: boolean;
  log: Log;
}

function progressLine(p: Progress): string {
  return p.total
    ? msg.progress(formatBytes(p.received), formatBytes(p.total), Math.floor((p.received / p.total) * 100))
    : msg.progress(formatBytes(p.received));
}

/** A wrong checksum is its own failure; network errors were retried, anything else was refused. */
function downloadFailure(version: string, uri: string, err: Error): Failure {
  const kind = err instanceof DownloadError ? err.kind : 'unavailable';
  if (kind === 'checksum') return { kind: 'cpython-checksum-mismatch', version, uri, detail: err.message };
  if (kind === 'limit') return { kind: 'cpython-download-stopped', version, uri, detail: err.message };
  return { kind: 'cpython-download-failed', version, uri, retried: kind === 'network', detail: err.message };
}

/** Where the archive is downloaded to: a directory without `<name>.toml`, which no lifecycle exports. */
export function downloadDir(layersDir: string): string {
  return path.join(layersDir, `${CPYTHON_LAYER}.download`);
}

async function fetchAndExtract(layerPath: string, opts: CpythonInstall): Promise<void> {
  const { dependency: dep, log } = opts;
  const source = downloadSource(dep.uri, dep.sha256, opts.config, opts.bindings);
  // A mirror's or a mapping's URL may carry credentials: only its redacted form is shown.
  const shown = redactUrls(source.uri);
  log.info(msg.downloading(dep.version, shown, source.via));
  // Next to the layer, on its filesystem (not a small /tmp); one fixed name, so a build that
  // was killed mid-download leaves nothing that the next build does not remove first.
  const tmp = downloadDir(opts.layersDir);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const archive = path.join(tmp, 'cpython.tar.gz');
    const downloaded = log.timer();
    await downloadVerified(source.uri, archive, dep.sha256, {
      config: opts.config,
      onProgress: (p) => log.info(progressLine(p)),
      onRetry: (n, err, delay) => log.info(msg.retrying(n, err.message, formatDuration(delay))),
    }).catch((err: Error) => {
      throw err instanceof BuildError ? err : new BuildError(downloadFailure(dep.version, shown, err));
    });
    log.info(msg.verified(dep.sha256, downloaded()));
    const extracted = log.timer();
    await extractTarGz(archive, layerPath, dep.stripComponents).catch((err: Error) => {
      throw new BuildError({
        kind: 'cpython-extract-failed',
        version: dep.version,
        uri: shown,
        detail: err.message,
        unsafeEntry: err instanceof ArchiveError && Boolean(err.entry),
      });
    });
    log.info(msg.extracted(extracted()));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The `cpython` layer: a verified CPython for build and launch, kept while its metadata holds. */
export async function installCpython(opts: CpythonInstall): Promise<{ path: string; env: LayerEnv }> {
  const next = cpythonMetadata(opts.dependency, opts.target);
  const def: LayerDefinition<CpythonMetadata> = {
    name: CPYTHON_LAYER,
    types: { build: true, launch: true, cache: true },
    readMetadata: readCpythonMetadata,
    invalidationReasons: (cached) => cpythonInvalidationReasons(cached, next),
  };
  const layer = await openLayer(opts.layersDir, def);
  if (layer.state.kind === 'restored') {
    opts.log.info(msg.usingCached(next.version));
  } else {
    if (layer.state.cause === 'invalidated') opts.log.info(rebuilding(`Python ${layer.state.previous.version}`, layer.state.reasons));
    try {
      await fetchAndExtract(layer.path, opts);
      if (opts.canRunTarget) {
        const rehashed = await rehashPycs(layer.path, path.join(layer.path, 'bin', 'python3'));
        if (rehashed > 0) opts.log.info(msg.rehashed(rehashed));
      }
      await writeLayerEnv(layer.path, cpythonEnv(layer.path, next.version));
    } catch (err) {
      await discardLayer(layer);
      throw err;
    }
    await commitLayer(layer, { ...next });
  }
  await writeCycloneDx(opts.layersDir, CPYTHON_LAYER, [
    {
      name: 'CPython',
      version: next.version,
      purl: `pkg:generic/cpython@${next.version}?download_url=${encodeURIComponent(opts.dependency.uri)}`,
      sha256: next.sha256,
      downloadUrl: opts.dependency.uri,
      licenses: ['PSF-2.0'],
    },
  ]);
  return {
    path: layer.path,
    env: { dirs: layerDirEntries(layer.path, { bin: true, lib: true }), files: cpythonEnv(layer.path, next.version) },
  };
}
