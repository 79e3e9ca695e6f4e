import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseToml } from '../../src/cnb/toml.js';
import { LAUNCH_DEFAULTS } from '../../src/plan/servers.js';
import { SETTINGS } from '../../src/plan/settings.js';
import { repoRoot } from '../support/fixtures.js';

interface Configuration {
  name: string;
  default: string;
  build: boolean;
  launch: boolean;
  description: string;
}

function fromBuildpackToml(): Configuration[] {
  const table = parseToml(readFileSync(join(repoRoot(), 'buildpack.toml'), 'utf8'), 'buildpack.toml');
  return (table.metadata as { configurations: Configuration[] }).configurations;
}

function fromReadme(): Configuration[] {
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const table = readme.split('<!-- configuration-table:start -->')[1]?.split('<!-- configuration-table:end -->')[0] ?? '';
  return table
    .trim()
    .split('\n')
    .slice(2)
    .map((row) => {
      const [name = '', def = '', build, launch, description = ''] = row.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').trim());
      const unquote = (s: string) => s.replace(/^`|`$/g, '');
      return { name: unquote(name), default: unquote(def), build: build === 'yes', launch: launch === 'yes', description };
    });
}

test("README's configuration table agrees with buildpack.toml", () => {
  expect(fromReadme()).toEqual(fromBuildpackToml());
});

test('every configuration is read at build, at launch or both', () => {
  for (const c of fromBuildpackToml()) expect([c.name, c.build || c.launch]).toEqual([c.name, true]);
});

test("buildpack.toml documents exactly the settings the code's table lists, with the same scopes", () => {
  const documented = fromBuildpackToml().map((c) => [c.name, { build: c.build, launch: c.launch }]);
  expect(Object.fromEntries(documented)).toEqual(SETTINGS);
});

test("PYWARP_STOP_TIMEOUT's documented default is the launcher's", () => {
  expect(fromBuildpackToml().find((c) => c.name === 'PYWARP_STOP_TIMEOUT')?.default).toBe(String(LAUNCH_DEFAULTS.stopTimeout));
});
