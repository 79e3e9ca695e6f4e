import type { AppFiles } from '../effects/read-app.js';
import type { Target } from '../cnb/context.js';
import type { Env } from '../cnb/env.js';
import { setting } from './settings.js';
import { findDependency, versionsFor, type Dependency } from './cpython-table.js';
import type { Log } from '../output/log.js';
import { pythonVersion as msg } from '../output/messages.js';
import { readRequestedVersions, resolvePythonVersion, type RequestedVersion, type ResolvedVersion } from './python-version.js';

export interface PythonPlan {
  requests: RequestedVersion[];
  resolved: ResolvedVersion;
  dependency: Dependency;
}

/** Decides the runtime from the app's files and settings, before any layer is touched. */
export function planPython(app: AppFiles, config: Env, deps: readonly Dependency[], target: Target): PythonPlan {
  const requests = readRequestedVersions(app, setting(config, 'BP_CPYTHON_VERSION'));
  const available = versionsFor(deps, 'cpython', target.arch);
  const resolved = resolvePythonVersion(requests, available, target.arch);
  const dependency = findDependency(deps, 'cpython', resolved.version, target.arch) as Dependency;
  return { requests, resolved, dependency };
}

export function logPythonPlan(log: Log, plan: PythonPlan, arch: string): void {
  const { resolved } = plan;
  if (resolved.request) log.info(msg.requested(resolved.request.origin, resolved.request.text));
  else log.info(msg.defaulted(resolved.version, resolved.version.split('.').slice(0, 2).join('.')));
  if (plan.requests.some((r) => r.origin === 'runtime.txt')) log.info(msg.runtimeTxtNote);
  if (resolved.conflict) log.warning(msg.conflictTitle, msg.conflict(resolved.conflict.lower, resolved.conflict.higher, resolved.version));
  if (resolved.overridden && resolved.request) log.warning(msg.overrideTitle, msg.override(resolved.request.text, resolved.overridden));
  log.info(msg.resolved(resolved.version, arch));
}
