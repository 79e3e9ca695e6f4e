import type { Log } from '../output/log.js';
import { dependencies, entryPoint, hooks, locks, pythonVersion as msg } from '../output/messages.js';
import type { BuildPlan } from '../plan/build-plan.js';
import { VERSION_SOURCES } from '../plan/python-version.js';

/** The Python decision, one sentence per fact, under its header. */
export function logPythonPlan(log: Log, plan: BuildPlan['python'], arch: string): void {
  const { resolved } = plan;
  log.header(msg.header);
  if (resolved.request) log.info(msg.requested(resolved.request.origin, resolved.request.text));
  else log.info(msg.defaulted(resolved.version, VERSION_SOURCES));
  if (plan.requests.some((r) => r.origin === 'runtime.txt')) log.info(msg.runtimeTxtNote);
  const decidedBy = plan.requests[0]?.origin ?? 'the default';
  for (const ignored of plan.ignored)
    log.warning(msg.ignoredTitle(ignored.origin), msg.ignored(ignored.origin, ignored.problem, decidedBy));
  if (resolved.conflict) log.warning(msg.conflictTitle, msg.conflict(resolved.conflict.chosen, resolved.conflict.other));
  if (resolved.overridden && resolved.request) log.warning(msg.overrideTitle, msg.override(resolved.request.text, resolved.overridden));
  log.info(msg.resolved(resolved.version, arch));
}

export function logEntryPoint(log: Log, plan: BuildPlan['entry'], hooksPlan: BuildPlan['hooks']): void {
  log.header(entryPoint.header);
  log.info(plan.reason);
  for (const note of plan.notes ?? []) log.info(note);
  if (hooksPlan.notExecutable.length) log.warning(hooks.notExecutableTitle, hooks.notExecutable(hooksPlan.notExecutable));
}

/** Where the dependencies come from, and what about them is worth knowing, before pip runs. */
export function logInstallPlan(log: Log, plan: BuildPlan['install']): void {
  log.info(plan.source.reason);
  if (plan.lock) log.info(locks.locked(plan.lock.plan.packages.length, plan.lock.plan.file));
  if (plan.lock?.plan.localProjects.length) log.info(locks.localProjects(plan.lock.plan.localProjects));
  if (plan.wheelhouse) log.info(dependencies.wheelhouse(plan.wheelhouse));
  if (plan.unsafeReuse) log.info(dependencies.unsafeNote(plan.unsafeReuse));
  if (plan.editablePaths.length) log.info(dependencies.editableNote(plan.editablePaths));
  for (const dir of plan.venvDirsInApp) log.info(dependencies.venvDirInApp(dir));
}
