import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { setting } from './settings.js';

export const APP_COMMAND_TIMEOUT = 'BP_APP_COMMAND_TIMEOUT';
/** Seconds; buildpack.toml and README give the same default (a test checks). */
export const DEFAULT_APP_COMMAND_TIMEOUT = 300;

export const PIP_INSTALL_TIMEOUT = 'BP_PIP_INSTALL_TIMEOUT';
/** Seconds: generous, as pip may build packages from source; pip's own 15 s socket timeout bounds each idle wait. */
export const DEFAULT_PIP_INSTALL_TIMEOUT = 1800;

/** Whole seconds from 1 to a day, or undefined when it is not that. */
function seconds(raw: string): number | undefined {
  const value = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return value >= 1 && value <= 86_400 ? value : undefined;
}

/** How long each of the app's own commands may run at build time, in milliseconds. */
export function appCommandTimeoutMs(config: Env): number {
  const raw = setting(config, APP_COMMAND_TIMEOUT);
  if (raw === undefined) return DEFAULT_APP_COMMAND_TIMEOUT * 1000;
  const value = seconds(raw);
  if (value === undefined) throw new BuildError({ kind: 'app-command-timeout-invalid', value: raw });
  return value * 1000;
}

/** How long each pip install, and the venv's creation, may run, in milliseconds. */
export function pipInstallTimeoutMs(config: Env): number {
  const raw = setting(config, PIP_INSTALL_TIMEOUT);
  if (raw === undefined) return DEFAULT_PIP_INSTALL_TIMEOUT * 1000;
  const value = seconds(raw);
  if (value === undefined) throw new BuildError({ kind: 'pip-install-timeout-invalid', value: raw });
  return value * 1000;
}
