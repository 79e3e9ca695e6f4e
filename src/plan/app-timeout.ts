import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import type { TimeoutSetting } from '../output/failures.js';
import { setting } from './settings.js';

export const APP_COMMAND_TIMEOUT: TimeoutSetting = 'BP_APP_COMMAND_TIMEOUT';
/** Seconds; buildpack.toml and README give the same default (a test checks). */
export const DEFAULT_APP_COMMAND_TIMEOUT = 300;

export const PIP_INSTALL_TIMEOUT: TimeoutSetting = 'BP_PIP_INSTALL_TIMEOUT';
/** Seconds: generous, as pip may build packages from source; pip's own 15 s socket timeout bounds each idle wait. */
export const DEFAULT_PIP_INSTALL_TIMEOUT = 1800;

const DEFAULTS: Record<TimeoutSetting, number> = {
  BP_APP_COMMAND_TIMEOUT: DEFAULT_APP_COMMAND_TIMEOUT,
  BP_PIP_INSTALL_TIMEOUT: DEFAULT_PIP_INSTALL_TIMEOUT,
};

/** A timeout setting in milliseconds: whole seconds from 1 to a day, its default when unset. */
function timeoutMs(config: Env, name: TimeoutSetting): number {
  const raw = setting(config, name);
  if (raw === undefined) return DEFAULTS[name] * 1000;
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= 86_400))
    throw new BuildError({ kind: 'timeout-invalid', setting: name, value: raw, defaultSeconds: DEFAULTS[name] });
  return value * 1000;
}

/** How long each of the app's own commands may run at build time, in milliseconds. */
export const appCommandTimeoutMs = (config: Env): number => timeoutMs(config, APP_COMMAND_TIMEOUT);

/** How long each pip install, and the venv's creation, may run, in milliseconds. */
export const pipInstallTimeoutMs = (config: Env): number => timeoutMs(config, PIP_INSTALL_TIMEOUT);
