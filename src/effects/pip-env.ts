import path from 'node:path';
import type { Env } from '../cnb/env.js';
import { BUILD_ENV_INCLUDELIST, pick } from '../cnb/env.js';
import { applyEnvEntries, type EnvEntry } from '../cnb/layer-env.js';

/** What pip and `python -m venv` run with: nothing inherited but what is named here. */
export interface PipEnvInputs {
  config: Env;
  bindingEnv: Readonly<Record<string, string>>;
  cpythonPath: string;
  cpythonEnv: readonly EnvEntry[];
  venvPath: string;
  pipCachePath: string;
}

/** Settings a user may give pip; PIP_CACHE_DIR is ours. Forbidden ones were refused earlier. */
function userPipSettings(config: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith('PIP_') && k !== 'PIP_CACHE_DIR'));
}

export function pipEnvironment(i: PipEnvInputs): Env {
  const env: Record<string, string> = {
    ...pick(i.config, [...BUILD_ENV_INCLUDELIST, 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'LANG', 'LC_ALL']),
    ...userPipSettings(i.config),
    ...i.bindingEnv,
    PATH: [path.join(i.venvPath, 'bin'), path.join(i.cpythonPath, 'bin'), i.config.PATH || '/usr/local/bin:/usr/bin:/bin'].join(':'),
    LD_LIBRARY_PATH: [path.join(i.cpythonPath, 'lib'), i.config.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    VIRTUAL_ENV: i.venvPath,
    PIP_CACHE_DIR: i.pipCachePath,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  applyEnvEntries(env, i.cpythonEnv, 'build');
  return env;
}
