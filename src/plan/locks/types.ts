import type { Env } from '../../cnb/env.js';

/** The tools whose lock files pywarp installs, by the name BP_PYTHON_INSTALLER uses. */
import type { LockTool } from '../../output/failures.js';

export type { LockTool };

/** What the image runs on: the lock is turned into requirements for this Python and architecture. */
export interface LockTarget {
  /** Full Python version, e.g. "3.11.2". */
  python: string;
  /** CNB_TARGET_ARCH: amd64 or arm64 (the OS is always linux). */
  arch: string;
}

/** Everything a lock reader needs, already read from the app (contents keyed by file name). */
export interface LockInput {
  file: string;
  contents: ReadonlyMap<string, string>;
  target: LockTarget;
  /** The build's settings, for ${VAR} in Pipfile sources. */
  env: Env;
}

export interface LockedPackage {
  name: string;
  version: string;
  /** PEP 508 marker left for pip to evaluate; undefined when the package is always installed. */
  marker?: string;
  /** "sha256:<hex>" (or sha384/sha512), of every file the lock allows. */
  hashes: string[];
  /** File names the hashes belong to, when the lock records them. */
  filenames: string[];
  /** The index the lock resolved it from; undefined for the default index (PyPI). */
  index?: string;
}

export interface IndexOptions {
  indexUrl?: string;
  extraIndexUrls: string[];
  trustedHosts: string[];
}

/** A lock file turned into what pip installs. */
export interface LockPlan {
  tool: LockTool;
  file: string;
  packages: LockedPackage[];
  indexes: IndexOptions;
  /**
   * Local projects to install afterwards with `pip install --no-deps`, relative to the app
   * ("." is the app itself); their dependencies are among `packages`.
   */
  localProjects: string[];
  /** The files the plan was made from: the venv reuse key (with Python and target). */
  keyFiles: Map<string, string>;
}
