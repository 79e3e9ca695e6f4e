import type { Env } from '../cnb/env.js';
import { BuildError } from '../output/build-error.js';
import { setting } from './settings.js';

export const APP_COMMAND_TIMEOUT = 'BP_APP_COMMAND_TIMEOUT';
/** Seconds; buildpack.toml and README give the same default (a test checks). */
export const DEFAULT_APP_COMMAND_TIMEOUT = 300;

/** How long each of the app's own commands may run at build time, in milliseconds. */
export function appCommandTimeoutMs(config: Env): number {
  const raw = setting(config, APP_COMMAND_TIMEOUT);
  if (raw === undefined) return DEFAULT_APP_COMMAND_TIMEOUT * 1000;
  const seconds = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 1 && seconds <= 86_400)) throw new BuildError({ kind: 'app-command-timeout-invalid', value: raw });
  return seconds * 1000;
}
