// Every sample's BuildPlan, snapshotted: a change to a version, install or server rule shows
// up here, in review, as a change to what pywarp decides for real apps.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuildpackToml } from '../../src/cnb/buildpack-toml.js';
import { readApp } from '../../src/effects/read-app.js';
import { appReads, planBuild } from '../../src/plan/build-plan.js';
import { readDependencies } from '../../src/plan/cpython-table.js';
import { repoRoot } from '../support/fixtures.js';

const samples = join(repoRoot(), 'samples');
const descriptor = parseBuildpackToml(readFileSync(join(repoRoot(), 'buildpack.toml'), 'utf8'));
const facts = {
  cpythonTable: readDependencies(descriptor.metadata),
  defaultServers: { wsgi: String(descriptor.metadata['default-server']), asgi: String(descriptor.metadata['default-asgi-server']) },
  defaultStatic: String(descriptor.metadata['default-static']),
};

const asJson = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)));

test.each(readdirSync(samples).sort())('samples/%s', async (name) => {
  const app = await readApp(join(samples, name), (a) => appReads(a, {}));
  const { python, ...plan } = planBuild(app, {}, facts, { os: 'linux', arch: 'amd64' });
  // The version as requested, not the table's newest patch, so a table update changes no snapshot.
  expect(asJson({ python: python.requests, ...plan })).toMatchSnapshot();
});
