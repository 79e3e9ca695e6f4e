import { BUILD_ENV_INCLUDELIST, pick, type Env } from '../cnb/env.js';
import { applyLayerEnvs, type LayerEnv } from '../cnb/layer-env.js';
import { userPipSettings } from '../plan/settings.js';

/** The variables of the build's own environment that the app's build steps get; nothing else is inherited. */
const PASSED = [...BUILD_ENV_INCLUDELIST, 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'LANG', 'LC_ALL', 'LD_LIBRARY_PATH'];

/**
 * The environment of the steps after `layers`: the passed variables, the user's platform
 * variables (`appVars`), a PATH, then each layer's contribution.
 */
export function buildStepEnv(config: Env, appVars: Env, layers: readonly LayerEnv[]): Env {
  return applyLayerEnvs({ ...pick(config, PASSED), ...appVars, PATH: config.PATH || '/usr/local/bin:/usr/bin:/bin' }, layers);
}

/** What pip runs with: the step environment plus the user's pip settings, a binding's, and pywarp's cache. */
export function pipEnvironment(stepEnv: Env, config: Env, bindingEnv: Readonly<Record<string, string>>, pipCachePath: string): Env {
  return {
    ...stepEnv,
    ...Object.fromEntries(userPipSettings(config)),
    ...bindingEnv,
    PIP_CACHE_DIR: pipCachePath,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
}
