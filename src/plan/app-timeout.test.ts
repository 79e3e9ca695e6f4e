import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseToml } from '../cnb/toml.js';
import { buildErrorOf } from '../../test/support/build-errors.js';
import { repoRoot } from '../../test/support/fixtures.js';
import {
  APP_COMMAND_TIMEOUT,
  appCommandTimeoutMs,
  DEFAULT_APP_COMMAND_TIMEOUT,
  DEFAULT_PIP_INSTALL_TIMEOUT,
  PIP_INSTALL_TIMEOUT,
  pipInstallTimeoutMs,
} from './app-timeout.js';

describe('appCommandTimeoutMs', () => {
  test.each<[Record<string, string>, number]>([
    [{}, 300_000],
    [{ BP_APP_COMMAND_TIMEOUT: '' }, 300_000],
    [{ BP_APP_COMMAND_TIMEOUT: '  ' }, 300_000],
    [{ BP_APP_COMMAND_TIMEOUT: '1' }, 1000],
    [{ BP_APP_COMMAND_TIMEOUT: ' 600 ' }, 600_000],
    [{ BP_APP_COMMAND_TIMEOUT: '86400' }, 86_400_000],
  ])('%j → %d ms', (config, expected) => expect(appCommandTimeoutMs(config)).toBe(expected));

  test.each(['0', '86401', '-5', '1.5', '5m', 'forever', '1e3', '٣٠٠'])('%j is a titled error', (value) => {
    const err = buildErrorOf(() => appCommandTimeoutMs({ BP_APP_COMMAND_TIMEOUT: value }));
    expect(err.title).toBe('Invalid BP_APP_COMMAND_TIMEOUT');
    expect(err.body).toContain(value);
  });
});

describe('pipInstallTimeoutMs', () => {
  test.each<[Record<string, string>, number]>([
    [{}, 1_800_000],
    [{ BP_PIP_INSTALL_TIMEOUT: ' ' }, 1_800_000],
    [{ BP_PIP_INSTALL_TIMEOUT: '5' }, 5000],
    [{ BP_PIP_INSTALL_TIMEOUT: '86400' }, 86_400_000],
    // the other setting bounds the app's commands, not pip
    [{ BP_APP_COMMAND_TIMEOUT: '5' }, 1_800_000],
  ])('%j → %d ms', (config, expected) => expect(pipInstallTimeoutMs(config)).toBe(expected));

  test.each(['0', '86401', '30m', '1.5', '٣٠٠'])('%j is a titled error', (value) => {
    const err = buildErrorOf(() => pipInstallTimeoutMs({ BP_PIP_INSTALL_TIMEOUT: value }));
    expect(err.title).toBe('Invalid BP_PIP_INSTALL_TIMEOUT');
    expect(err.body).toContain(value);
  });
});

test.each([
  [APP_COMMAND_TIMEOUT, DEFAULT_APP_COMMAND_TIMEOUT],
  [PIP_INSTALL_TIMEOUT, DEFAULT_PIP_INSTALL_TIMEOUT],
])("%s's default is buildpack.toml's", (name, seconds) => {
  const toml = parseToml(readFileSync(path.join(repoRoot(), 'buildpack.toml'), 'utf8'), 'buildpack.toml');
  const entry = (toml.metadata as { configurations: { name: string; default: string }[] }).configurations.find((c) => c.name === name);
  expect(entry?.default).toBe(String(seconds));
});
