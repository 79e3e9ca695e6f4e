import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { WHEELHOUSE_DIRS, type App, type AppReads } from './app.js';
import { chooseInstallSource, lockFilesToRead, pipInstallArgs, type InstallSource } from './install-source.js';
import { readLock } from './locks/read-lock.js';
import { localProjectArgs, lockInstallArgs, requirementsText } from './locks/requirements-text.js';
import type { LockPlan, LockTarget } from './locks/types.js';
import { BuildError } from '../output/build-error.js';
import { parseRequirements, type RequirementsInfo } from './requirements.js';

/** The name of the requirements file made from a lock, written to a temporary directory for pip. */
export const LOCKED_REQUIREMENTS = 'locked-requirements.txt';

/** A lock file turned into what pip installs for the target. */
export interface LockInstall {
  plan: LockPlan;
  /** What pip reads with --require-hashes: pinned, hashed, with the lock's indexes (which may hold credentials: never kept). */
  requirements: string;
  /** pip arguments for each local project the lock installs after its packages. */
  localProjectArgs: string[][];
}

/** How the dependencies are installed, decided from what was read, before any layer is touched. */
export interface InstallPlan {
  source: InstallSource;
  /** Arguments after `pip install`; empty when there is nothing to install. */
  installArgs: string[];
  /** App-relative path → contents of every file pip's result depends on (the venv's reuse key). */
  keyFiles: Map<string, string>;
  wheelhouse?: string;
  editablePaths: string[];
  /** What makes reuse unsafe, when something does. */
  unsafeReuse?: string;
  /** Local virtual environments committed with the app, which the image does not use. */
  venvDirsInApp: string[];
  /** When a lock file chose the installer: what pip installs from it. */
  lock?: LockInstall;
}

/**
 * Requirement lines across a requirements file and its includes: pip spends tens of seconds on
 * 10,000 before it downloads anything, and no project needs more; far longer is a mistake.
 */
export const MAX_REQUIREMENT_LINES = 20_000;

const PACKAGING_FILES = ['pyproject.toml', 'setup.py', 'setup.cfg'];
const LOCAL_VENV_DIRS = ['.venv', 'venv'];

// readApp asks installReads again after each round of reading, with the same contents map
// grown: each file is parsed once per app, so a chain of includes costs its length, not its square.
const parsed = new WeakMap<App['contents'], Map<string, { text: string; info: RequirementsInfo }>>();

function parseOnce(app: App, file: string, text: string): RequirementsInfo {
  let cache = parsed.get(app.contents);
  if (!cache) parsed.set(app.contents, (cache = new Map()));
  const hit = cache.get(file);
  if (hit?.text === text) return hit.info;
  const info = parseRequirements(file, text);
  cache.set(file, { text, info });
  return info;
}

/** The requirements files pip reads, includes first found breadth-first, with what they say. */
function walkRequirements(app: App, source: InstallSource) {
  const files = new Map<string, string>();
  const editablePaths: string[] = [];
  const localPaths: string[] = [];
  const unread = new Set<string>();
  let lines = 0;
  const queue = source.kind === 'requirements' ? [...source.files] : [];
  // an index, not shift(): shifting a long queue moves every element each time
  for (let next = 0; next < queue.length; next++) {
    const file = queue[next] as string;
    const text = app.contents.get(file);
    if (text === undefined) unread.add(file);
    if (files.has(file) || text === undefined) continue;
    files.set(file, text);
    const info = parseOnce(app, file, text);
    lines += info.lines;
    // one at a time: spreading 200,000 lines into push() overflows the stack
    for (const include of info.includes) if (!files.has(include)) queue.push(include);
    for (const p of info.editablePaths) editablePaths.push(p);
    for (const p of info.localPaths) localPaths.push(p);
  }
  return { files, editablePaths: [...new Set(editablePaths)], localPaths: [...new Set(localPaths)], unread: [...unread], lines };
}

/** What the install decision reads beyond the top level: includes, editable projects' packaging files, lock files, wheelhouses. */
export function installReads(app: App, config: Env): AppReads {
  const { editablePaths, unread } = walkRequirements(app, chooseInstallSource(app, config));
  const packaging = editablePaths.flatMap((dir) => PACKAGING_FILES.map((name) => path.posix.join(dir, name)));
  return { files: [...new Set([...unread, ...packaging]), ...lockFilesToRead(app.files)], dirs: [...WHEELHOUSE_DIRS] };
}

/** `target` is what the image runs: a lock is turned into requirements for that Python and architecture. */
export function planInstall(app: App, config: Env, target: LockTarget): InstallPlan {
  const source = chooseInstallSource(app, config);
  const { files, editablePaths, localPaths, lines } = walkRequirements(app, source);
  if (lines > MAX_REQUIREMENT_LINES)
    throw new BuildError({ kind: 'requirements-too-long', files: [...files.keys()], lines, limit: MAX_REQUIREMENT_LINES });
  const lockPlan = source.kind === 'lock' ? readLock(source.tool, source.file, app, target, config) : undefined;
  const keyFiles = new Map(lockPlan ? lockPlan.keyFiles : files);
  if (source.kind === 'project') keyFiles.set(source.file, app.contents.get(source.file) ?? '');
  for (const dir of editablePaths) {
    for (const name of PACKAGING_FILES) {
      const file = path.posix.join(dir, name);
      const text = app.contents.get(file);
      if (text !== undefined) keyFiles.set(file, text);
    }
  }
  const wheelhouse = WHEELHOUSE_DIRS.find((dir) => (app.listings.get(dir) ?? []).some((n) => n.endsWith('.whl') || n.endsWith('.tar.gz')));
  if (wheelhouse) keyFiles.set(`${wheelhouse}/ (listing)`, (app.listings.get(wheelhouse) ?? []).join('\n'));
  const localProjects = lockPlan?.localProjects ?? [];
  const unsafeReuse =
    source.kind === 'project'
      ? `the app itself ('pip install .' from ${source.file})`
      : localPaths.length
        ? localPaths.join(', ')
        : localProjects.length
          ? `${localProjects.map((d) => (d === '.' ? 'the app itself' : `./${d}`)).join(', ')} ('pip install --no-deps' from ${lockPlan?.file})`
          : undefined;
  const lock: LockInstall | undefined = lockPlan && {
    plan: lockPlan,
    requirements: requirementsText(lockPlan),
    localProjectArgs: localProjects.map((dir) => localProjectArgs(dir, wheelhouse)),
  };
  return {
    source,
    // for a lock, the reuse key's arguments: the requirements file's path changes every build
    installArgs: lock
      ? [...lockInstallArgs(LOCKED_REQUIREMENTS, wheelhouse), ...lock.localProjectArgs.flat()]
      : pipInstallArgs(source, wheelhouse),
    keyFiles,
    editablePaths,
    venvDirsInApp: LOCAL_VENV_DIRS.filter((d) => app.dirs.has(d)),
    ...(wheelhouse ? { wheelhouse } : {}),
    ...(unsafeReuse ? { unsafeReuse } : {}),
    ...(lock ? { lock } : {}),
  };
}
