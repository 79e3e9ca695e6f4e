import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';

/** Variables that would make pip or Python install or look somewhere other than the venv. */
export const FORBIDDEN_ENV_VARS = [
  'PIP_TARGET',
  'PIP_PREFIX',
  'PIP_ROOT',
  'PIP_USER',
  'PIP_PYTHON',
  'PIP_REQUIRE_VIRTUALENV',
  'PYTHONHOME',
  'PYTHONUSERBASE',
  'PYTHONPLATLIBDIR',
  'PYTHONNOUSERSITE',
  'VIRTUAL_ENV',
] as const;

export function checkEnvironment(config: Env): void {
  const found = FORBIDDEN_ENV_VARS.filter((name) => config[name] !== undefined);
  if (found.length) throw new BuildError({ kind: 'forbidden-env', names: found });
}
