import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../src/cnb/context.js';
import type { Env } from '../src/cnb/env.js';
import { commitLayer, discardLayer, openLayer, type Layer } from '../src/cnb/layer.js';
import { writeLayerEnv, type EnvEntry } from '../src/cnb/layer-env.js';
import { writeCycloneDx } from '../src/cnb/sbom.js';
import { isTable, type TomlTable } from '../src/cnb/toml.js';
import { installedDistributions, purl, type Distribution } from '../src/effects/distributions.js';
import { formatArgv, formatDuration, type Log } from '../src/output/log.js';
import { dependencies as msg } from '../src/output/messages.js';
import { redactUrls } from '../src/plan/pip-binding.js';
import { indexUrls, reachable } from '../src/effects/index-probe.js';
import { classifyPipFailure, pipError, tail } from '../src/plan/pip-failure.js';
import { run } from '../src/effects/run.js';

// "venv" sorts after "cpython", and the lifecycle puts the later layer first on PATH,
// so the venv's python and console scripts win over the runtime's.
export const VENV_LAYER = 'venv';

/** Everything the venv's contents depend on; equal keys mean pip would do the same work. */
export interface VenvMetadata {
  python: string;
  pythonSha256: string;
  target: string;
  /** sha256 of every file whose content pip reads (requirements, includes, packaging files). */
  files: Record<string, string>;
  /** sha256 of the install arguments, pip settings and server policy (they may hold secrets). */
  options: string;
  /** The same, readable and with credentials removed, for "what changed" messages. */
  optionsSummary: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readVenvMetadata(raw: TomlTable): VenvMetadata | undefined {
  const strings = ['python', 'pythonSha256', 'target', 'options', 'optionsSummary'] as const;
  if (!strings.every((k) => typeof raw[k] === 'string') || !isTable(raw.files)) return undefined;
  if (!Object.values(raw.files).every((v) => typeof v === 'string')) return undefined;
  return { ...(Object.fromEntries(strings.map((k) => [k, raw[k]])) as Omit<VenvMetadata, 'files'>), files: raw.files as Record<string, string> };
}

/** What changed between the kept venv and this build, in words; empty means reuse it. */
export function venvInvalidationReasons(cached: VenvMetadata, next: VenvMetadata): string[] {
  const { python, pythonSha256, target, files, options, optionsSummary } = cached;
  const reasons: string[] = [];
  if (python !== next.python) reasons.push(msg.reasonPython(python, next.python));
  else if (pythonSha256 !== next.pythonSha256) reasons.push(msg.reasonRuntimeArchive);
  if (target !== next.target) reasons.push(msg.reasonTarget(target, next.target));
  for (const file of Object.keys(next.files)) {
    if (!(file in files)) reasons.push(msg.reasonFileAdded(file));
    else if (files[file] !== next.files[file]) reasons.push(msg.reasonFileChanged(file));
  }
  for (const file of Object.keys(files)) if (!(file in next.files)) reasons.push(msg.reasonFileRemoved(file));
  if (options !== next.options) reasons.push(msg.reasonOptions(optionsSummary, next.optionsSummary));
  return reasons;
}

export interface VenvInstall {
  layersDir: string;
  appDir: string;
  python: { layerPath: string; version: string; sha256: string };
  target: Target;
  /** App-relative path → contents of every file pip's result depends on. */
  keyFiles: ReadonlyMap<string, string>;
  /** Arguments after `pip install`; empty when there is nothing to install. */
  installArgs: readonly string[];
  /** The environment pip runs with (holds credentials; never written anywhere). */
  pipEnv: Env;
  /** Settings that change the result without being pip arguments (e.g. the server policy). */
  policy: string;
  /** Set when the install copies app source into the venv, so a kept venv could be stale. */
  unsafeReuse?: string;
  /** Decides, from what got installed, which server (if any) to add. */
  serverToAdd(installed: readonly Distribution[]): { requirement: string; why: string } | undefined;
  log: Log;
  write: (text: string) => void;
}

export function venvMetadata(opts: Pick<VenvInstall, 'python' | 'target' | 'keyFiles' | 'installArgs' | 'pipEnv' | 'policy'>): VenvMetadata {
  const pipSettings = Object.entries(opts.pipEnv).filter(([k]) => k.startsWith('PIP_') && k !== 'PIP_CACHE_DIR').sort();
  const summary = [...pipSettings.map(([k, v]) => `${k}=${v}`), formatArgv(opts.installArgs), opts.policy].filter(Boolean).join(' ');
  const { target } = opts;
  return {
    python: opts.python.version,
    pythonSha256: opts.python.sha256,
    target: [target.os, target.arch, target.distroName, target.distroVersion].filter(Boolean).join('/'),
    files: Object.fromEntries([...opts.keyFiles].sort().map(([file, text]) => [file, sha256(text)])),
    options: sha256(JSON.stringify([pipSettings, opts.installArgs, opts.policy])),
    optionsSummary: redactUrls(summary),
  };
}

export function venvEnv(layerPath: string): EnvEntry[] {
  return [{ scope: 'all', action: 'override', name: 'VIRTUAL_ENV', value: layerPath }];
}

/**
 * The pip wheel the runtime bundles for ensurepip: python-build-standalone keeps it in
 * ensurepip/_bundled, Debian-style builds in share/python-wheels.
 */
export async function findPipWheel(cpythonPath: string): Promise<string | undefined> {
  const lib = path.join(cpythonPath, 'lib');
  const pythons = (await readdir(lib).catch(() => [] as string[])).filter((d) => /^python3\.\d+$/.test(d));
  const dirs = [...pythons.map((d) => path.join(lib, d, 'ensurepip', '_bundled')), path.join(cpythonPath, 'share', 'python-wheels')];
  for (const dir of dirs) {
    const wheel = (await readdir(dir).catch(() => [] as string[])).find((f) => /^pip-.*\.whl$/.test(f));
    if (wheel) return path.join(dir, wheel);
  }
  return undefined;
}

/** How pip is run: from the runtime's wheel with the venv's python (pip stays out of the image), else the venv's own. */
type PipCommand = readonly string[];

async function pip(opts: VenvInstall, pipCommand: PipCommand, args: readonly string[]): Promise<void> {
  const argv = [...pipCommand, 'install', ...args];
  opts.log.info(`Running '${redactUrls(formatArgv(['pip', 'install', ...args]))}'`);
  const started = Date.now();
  const result = await run(argv, { cwd: opts.appDir, env: opts.pipEnv, write: opts.write });
  if (result.exitCode !== 0) {
    let failure = classifyPipFailure(result.output);
    if (failure.kind === 'unknown-package' && !args.includes('--no-index')) {
      const down = [];
      for (const url of indexUrls(opts.pipEnv)) if (!(await reachable(url, opts.pipEnv))) down.push(redactUrls(url));
      if (down.length) failure = { kind: 'index-unreachable', detail: `no answer from ${down.join(', ')}` };
    }
    const file = args.includes('-r') ? args.filter((_, i) => args[i - 1] === '-r').join(', ') : undefined;
    throw pipError(failure, result.output, file);
  }
  opts.log.info(`Completed in ${formatDuration(Date.now() - started)}.`);
}

/**
 * A venv without pip takes milliseconds where ensurepip takes seconds, and keeps pip (and
 * its 9 MB) out of the launch image, as Heroku's buildpack does: pip runs from its wheel.
 */
async function populate(opts: VenvInstall, layer: Layer<unknown>): Promise<void> {
  opts.log.info(msg.creatingVenv);
  const wheel = await findPipWheel(opts.python.layerPath);
  const python = path.join(opts.python.layerPath, 'bin', 'python3');
  const created = await run([python, '-m', 'venv', ...(wheel ? ['--without-pip'] : []), layer.path], { cwd: opts.appDir, env: opts.pipEnv, write: opts.write });
  if (created.exitCode !== 0) throw new Error(`python -m venv failed: ${tail(created.output)}`);
  const venvPython = path.join(layer.path, 'bin', 'python');
  const pipCommand = wheel ? [venvPython, path.join(wheel, 'pip')] : [venvPython, '-m', 'pip'];
  if (opts.installArgs.length) await pip(opts, pipCommand, opts.installArgs);
  const server = opts.serverToAdd(await installedDistributions(layer.path));
  if (server) {
    opts.log.info(msg.addingServer(server.requirement, server.why));
    await pip(opts, pipCommand, ['--no-input', '--progress-bar', 'off', server.requirement]);
  }
}

/** The `venv` layer: the app's requirements in a virtualenv, kept while its key holds. */
export async function installVenv(opts: VenvInstall): Promise<{ path: string; distributions: Distribution[]; cached: boolean }> {
  const next = venvMetadata(opts);
  const layer = await openLayer(opts.layersDir, {
    name: VENV_LAYER,
    types: { build: true, launch: true, cache: true },
    readMetadata: readVenvMetadata,
    invalidationReasons: (cached) => (opts.unsafeReuse ? [msg.reasonUnsafe(opts.unsafeReuse)] : venvInvalidationReasons(cached, next)),
  });
  if (layer.state.kind === 'restored') {
    opts.log.info(msg.usingCached);
  } else {
    if (layer.state.cause === 'invalidated') opts.log.info(msg.rebuilding(layer.state.reasons));
    try {
      await populate(opts, layer);
      await writeLayerEnv(layer.path, venvEnv(layer.path));
    } catch (err) {
      await discardLayer(layer);
      throw err;
    }
    await commitLayer(layer, { ...next });
  }
  const distributions = await installedDistributions(layer.path);
  await writeCycloneDx(opts.layersDir, VENV_LAYER, distributions.map((d) => ({ name: d.name, version: d.version, purl: purl(d) })));
  return { path: layer.path, distributions, cached: layer.state.kind === 'restored' };
}
