import type { Env } from '../../cnb/env.js';
import { readPipfileLock } from './pipfile-lock.js';
import { readPoetryLock } from './poetry-lock.js';
import { readPylock } from './pylock.js';
import { readUvLock } from './uv-lock.js';
import type { LockPlan, LockTarget, LockTool } from './types.js';

const READERS = { pipenv: readPipfileLock, poetry: readPoetryLock, uv: readUvLock, pylock: readPylock } as const;

/**
 * Turns the lock file chooseInstallSource picked into what pip installs for `target`.
 * `app` must hold the contents of the lock file and of pyproject.toml/Pipfile (see
 * lockFilesToRead). Bad or stale locks are titled BuildErrors.
 */
export function readLock(
  tool: LockTool,
  file: string,
  app: { contents: ReadonlyMap<string, string> },
  target: LockTarget,
  env: Env,
): LockPlan {
  return READERS[tool]({ file, contents: app.contents, target, env });
}
