import type { Target } from '../cnb/context.js';
import type { Env } from '../cnb/env.js';
import type { App } from './app.js';
import { findDependency, versionsFor, type Dependency } from './cpython-table.js';
import {
  readRequestedVersions,
  resolvePythonVersion,
  type IgnoredRequest,
  type RequestedVersion,
  type ResolvedVersion,
} from './python-version.js';
import { setting } from './settings.js';

export interface PythonPlan {
  requests: RequestedVersion[];
  ignored: IgnoredRequest[];
  resolved: ResolvedVersion;
  dependency: Dependency;
}

/** Decides the runtime from the app's files and settings, before any layer is touched. */
export function planPython(app: App, config: Env, deps: readonly Dependency[], target: Target): PythonPlan {
  const { requests, ignored } = readRequestedVersions(app, setting(config, 'BP_CPYTHON_VERSION'));
  const available = versionsFor(deps, 'cpython', target.arch);
  const resolved = resolvePythonVersion(requests, available, target.arch);
  const dependency = findDependency(deps, 'cpython', resolved.version, target.arch) as Dependency;
  return { requests, ignored, resolved, dependency };
}
