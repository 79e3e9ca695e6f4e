import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Target } from '../src/cnb/context.js';
import type { Env } from '../src/cnb/env.js';
import { commitLayer, discardLayer, openLayer, type Layer } from '../src/cnb/layer.js';
import { applyLayerEnvs, layerDirEntries, writeLayerEnv, type LayerEnv } from '../src/cnb/layer-env.js';
import { writeCycloneDx } from '../src/cnb/sbom.js';
import { isTable, type TomlTable } from '../src/cnb/toml.js';
import { installedDistributions, purl, type Distribution } from '../src/effects/distributions.js';
import { formatArgv, type Log } from '../src/output/log.js';
import { dependencies as msg, rebuilding } from '../src/output/messages.js';
import { BuildError } from '../src/output/build-error.js';
import { redactUrls } from '../src/plan/pip-binding.js';
import { indexUrls, reachable } from '../src/effects/index-probe.js';
import { classifyPipFailure, pipError, tail } from '../src/plan/pip-failure.js';
import { run } from '../src/effects/run.js';
import { pipEnvironment } from '../src/effects/pip-env.js';
import { compiledPip } from '../src/effects/compiled-pip.js';
import { LOCKED_REQUIREMENTS, type InstallPlan, type LockInstall } from '../src/plan/install.js';
import { parseHashMismatches } from '../src/plan/locks/hash-mismatch.js';
import { installedHashes } from '../src/plan/locks/pip-report.js';
import { lockInstallArgs } from '../src/plan/locks/requirements-text.js';
import { normalizeName } from '../src/plan/requirements.js';
import { serverToAdd, type ServerPlan } from '../src/plan/server.js';
import { staticsToAdd, type StaticsPlan } from '../src/plan/django.js';
import { expandedVars, userPipSettings } from '../src/plan/settings.js';
import type { PipCache } from './pip-cache.js';

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
  /**
   * HMAC-SHA256, keyed with the cache's salt, of the install arguments, pip settings and
   * server policy: they may hold secrets, and this metadata is public (an image label).
   */
  options: string;
  /** The same, readable and with credentials removed, for "what changed" messages. */
  optionsSummary: string;
  /** sha256 of the file each package was installed from, by normalized name, when a lock installed them (for the SBOM). */
  hashes?: Record<string, string>;
}

const isStringRecord = (v: unknown): v is Record<string, string> => isTable(v) && Object.values(v).every((x) => typeof x === 'string');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readVenvMetadata(raw: TomlTable): VenvMetadata | undefined {
  const strings = ['python', 'pythonSha256', 'target', 'options', 'optionsSummary'] as const;
  if (!strings.every((k) => typeof raw[k] === 'string') || !isStringRecord(raw.files)) return undefined;
  return {
    ...(Object.fromEntries(strings.map((k) => [k, raw[k]])) as Omit<VenvMetadata, 'files' | 'hashes'>),
    files: raw.files,
    ...(isStringRecord(raw.hashes) ? { hashes: raw.hashes } : {}),
  };
}

/**
 * What changed between the kept venv and this build, in words; empty means reuse it.
 * `saltRenewed`: `next.options` was keyed with a new salt, so it differs whatever changed.
 */
export function venvInvalidationReasons(cached: VenvMetadata, next: VenvMetadata, saltRenewed = false): string[] {
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
  if (options !== next.options) {
    // Name only what changed: the summaries are space-separated settings and arguments.
    const before = optionsSummary.split(' ').filter(Boolean);
    const after = next.optionsSummary.split(' ').filter(Boolean);
    const removed = before.filter((o) => !after.includes(o));
    const added = after.filter((o) => !before.includes(o));
    if (removed.length || added.length || !saltRenewed) reasons.push(msg.reasonOptions(removed, added));
    else if (!reasons.length) reasons.push(msg.reasonSalt);
  }
  return reasons;
}

export interface VenvInstall {
  layersDir: string;
  appDir: string;
  python: { layerPath: string; version: string; sha256: string };
  target: Target;
  install: InstallPlan;
  server: ServerPlan;
  statics: StaticsPlan;
  /** The environment of build steps after the runtime layer. */
  env: Env;
  /** pip's settings: the user's PIP_*, a pip binding's (credentials: never written anywhere) and the cache. */
  pip: { config: Env; bindingEnv: Readonly<Record<string, string>>; cache: PipCache };
  log: Log;
  write: (text: string) => void;
  /** How long each pip run and the venv's creation may take (BP_PIP_INSTALL_TIMEOUT). */
  timeoutMs: number;
}

/** The error for a pip or venv command stopped at the timeout, quoting its last lines without credentials. */
function timedOut(command: string, limitMs: number, output: string): BuildError {
  return new BuildError({ kind: 'pip-timed-out', command, limitMs, lastLines: redactUrls(tail(output)) });
}

/** The reuse key: `policy` is what of other decisions (the server) changes the venv; `salt` keys the options hash. */
export function venvMetadata(opts: {
  python: VenvInstall['python'];
  target: Target;
  keyFiles: InstallPlan['keyFiles'];
  installArgs: readonly string[];
  pipEnv: Env;
  policy: string;
  salt: string;
}): VenvMetadata {
  // Variables the requirements expand (${NAME}) change the result too; only their hash is kept.
  const expanded = expandedVars(opts.keyFiles.values()).map((name) => [name, opts.pipEnv[name] ?? '']);
  const pipSettings = [...userPipSettings(opts.pipEnv), ...expanded];
  const { installArgs } = opts;
  const summary = [
    ...userPipSettings(opts.pipEnv).map(([k, v]) => `${k}=${v}`),
    ...expanded.map(([k]) => `\${${k}}`),
    formatArgv(installArgs),
    opts.policy,
  ]
    .filter(Boolean)
    .join(' ');
  const { target } = opts;
  return {
    python: opts.python.version,
    pythonSha256: opts.python.sha256,
    target: [target.os, target.arch, target.distroName, target.distroVersion].filter(Boolean).join('/'),
    files: Object.fromEntries([...opts.keyFiles].sort().map(([file, text]) => [file, sha256(text)])),
    options: createHmac('sha256', opts.salt)
      .update(JSON.stringify([pipSettings, installArgs, opts.policy]))
      .digest('hex'),
    optionsSummary: redactUrls(summary),
  };
}

/** What the venv contributes to later steps and to launch: its scripts on PATH, and VIRTUAL_ENV. */
export function venvLayerEnv(layerPath: string): LayerEnv {
  return {
    dirs: layerDirEntries(layerPath, { bin: true }),
    files: [{ scope: 'all', action: 'override', name: 'VIRTUAL_ENV', value: layerPath }],
  };
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

/** How pip is run: from the runtime's wheel (its compiled copy in the pip cache) with the venv's python (pip stays out of the image), else the venv's own. */
type PipCommand = readonly string[];

/** Runs `pip install args`; `from` names the requirements files (or the lock file) in errors. */
async function pip(opts: VenvInstall, pipEnv: Env, pipCommand: PipCommand, args: readonly string[], from?: string): Promise<void> {
  const argv = [...pipCommand, 'install', ...args];
  const shown = redactUrls(formatArgv(['pip', 'install', ...args]));
  opts.log.info(`Running '${shown}'`);
  const elapsed = opts.log.timer();
  // pip prints its index URLs; tokens in them (userinfo, query strings) stay out of the log.
  const result = await run(argv, {
    cwd: opts.appDir,
    env: pipEnv,
    write: (text) => opts.write(redactUrls(text)),
    timeoutMs: opts.timeoutMs,
  });
  if (result.timedOut) throw timedOut(`'${shown}'`, opts.timeoutMs, result.output);
  if (result.exitCode !== 0) {
    // What pip said goes into the error (a requirement line, a conflict): with expanded credentials redacted too.
    const output = redactUrls(result.output);
    const mismatches = opts.install.lock ? parseHashMismatches(output) : [];
    if (mismatches.length) throw new BuildError({ kind: 'lock-hash-mismatch', file: opts.install.lock?.plan.file ?? '', mismatches });
    let failure = classifyPipFailure(output);
    if (failure.kind === 'unknown-package' && !args.includes('--no-index')) {
      const down = [];
      for (const url of indexUrls(pipEnv)) if (!(await reachable(url, pipEnv))) down.push(redactUrls(url));
      if (down.length) failure = { kind: 'index-unreachable', detail: `no answer from ${down.join(', ')}` };
    }
    throw pipError(failure, output, from);
  }
  opts.log.info(msg.pipCompleted(elapsed()));
}

/**
 * A venv without pip takes milliseconds where ensurepip takes seconds, and keeps pip (and
 * its 9 MB) out of the launch image, as Heroku's buildpack does: pip runs from its wheel.
 */
async function populate(opts: VenvInstall, pipEnv: Env, layer: Layer<unknown>): Promise<Record<string, string> | undefined> {
  opts.log.info(msg.creatingVenv);
  const wheel = await findPipWheel(opts.python.layerPath);
  const python = path.join(opts.python.layerPath, 'bin', 'python3');
  const created = await run([python, '-m', 'venv', ...(wheel ? ['--without-pip'] : []), layer.path], {
    cwd: opts.appDir,
    env: pipEnv,
    write: opts.write,
    timeoutMs: opts.timeoutMs,
  });
  if (created.timedOut) throw timedOut("'python -m venv'", opts.timeoutMs, created.output);
  if (created.exitCode !== 0) throw new BuildError({ kind: 'venv-create-failed', outputTail: tail(created.output) });
  const venvPython = path.join(layer.path, 'bin', 'python');
  const pipCommand = wheel
    ? [
        venvPython,
        path.join(
          await compiledPip({
            wheel,
            runtimeSha256: opts.python.sha256,
            cacheDir: opts.pip.cache.path,
            python: venvPython,
            env: pipEnv,
            timeoutMs: opts.timeoutMs,
          }),
          'pip',
        ),
      ]
    : [venvPython, '-m', 'pip'];
  const { source, installArgs, lock } = opts.install;
  const hashes = lock ? await installLock(opts, pipEnv, pipCommand, lock) : undefined;
  if (!lock && installArgs.length)
    await pip(opts, pipEnv, pipCommand, installArgs, source.kind === 'requirements' ? source.files.join(', ') : undefined);
  const installed = await installedDistributions(layer.path);
  const server = serverToAdd(opts.server, installed);
  const statics = staticsToAdd(opts.statics, installed);
  if (server) opts.log.info(msg.addingServer(server.requirements.join(' '), server.why));
  if (statics) opts.log.info(msg.addingStatics(statics.requirement, statics.why));
  const added = [...(server?.requirements ?? []), ...(statics ? [statics.requirement] : [])];
  if (added.length) await pip(opts, pipEnv, pipCommand, ['--no-input', '--progress-bar', 'off', ...added]);
  return hashes;
}

/**
 * The lock's packages from a requirements file outside every layer (its index URLs may hold
 * expanded credentials), deleted after; then the lock's local projects. Returns the sha256
 * of each installed file, from pip's installation report.
 */
async function installLock(opts: VenvInstall, pipEnv: Env, pipCommand: PipCommand, lock: LockInstall): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pywarp-lock-'));
  try {
    const requirements = path.join(dir, LOCKED_REQUIREMENTS);
    const report = path.join(dir, 'report.json');
    await writeFile(requirements, lock.requirements, { mode: 0o600 });
    await pip(opts, pipEnv, pipCommand, [...lockInstallArgs(requirements, opts.install.wheelhouse), '--report', report], lock.plan.file);
    for (const args of lock.localProjectArgs) await pip(opts, pipEnv, pipCommand, args, lock.plan.file);
    return installedHashes(await readFile(report, 'utf8').catch(() => ''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `venv` layer: the app's requirements in a virtualenv, kept while its key holds. */
export async function installVenv(opts: VenvInstall): Promise<{ path: string; distributions: Distribution[]; env: LayerEnv }> {
  const layerPath = path.join(opts.layersDir, VENV_LAYER);
  const env = venvLayerEnv(layerPath);
  const { cache } = opts.pip;
  const pipEnv = pipEnvironment(applyLayerEnvs(opts.env, [env]), opts.pip.config, opts.pip.bindingEnv, cache.path);
  const next = venvMetadata({
    ...opts,
    ...opts.install,
    pipEnv,
    policy: [opts.server.cacheKey, opts.statics.cacheKey].filter(Boolean).join(' '),
    salt: cache.salt,
  });
  const { unsafeReuse } = opts.install;
  const layer = await openLayer(opts.layersDir, {
    name: VENV_LAYER,
    types: { build: true, launch: true, cache: true },
    readMetadata: readVenvMetadata,
    invalidationReasons: (cached) =>
      unsafeReuse ? [msg.reasonUnsafe(unsafeReuse)] : venvInvalidationReasons(cached, next, cache.saltRenewed),
  });
  let hashes: Record<string, string> | undefined;
  if (layer.state.kind === 'restored') {
    opts.log.info(msg.usingCached);
    hashes = layer.state.metadata.hashes;
  } else {
    if (layer.state.cause === 'invalidated') opts.log.info(rebuilding('the virtual environment', layer.state.reasons));
    try {
      hashes = await populate(opts, pipEnv, layer);
      await writeLayerEnv(layer.path, env.files);
    } catch (err) {
      await discardLayer(layer);
      throw err;
    }
    await commitLayer(layer, { ...next, ...(hashes ? { hashes } : {}) });
  }
  const distributions = await installedDistributions(layer.path);
  await writeCycloneDx(
    opts.layersDir,
    VENV_LAYER,
    distributions.map((d) => {
      const sha256 = hashes?.[normalizeName(d.name)];
      return { name: d.name, version: d.version, purl: purl(d), ...(sha256 ? { sha256 } : {}) };
    }),
  );
  return { path: layer.path, distributions, env };
}
