// What the lifecycle checks after bin/build, and how the image is exported (spec §4.2, §4.7, §4.8, §4.10).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { build, makeSandbox, removeSandbox, writeTree, type Sandbox, type Tree } from './harness.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await makeSandbox();
});
afterEach(() => removeSandbox(sandbox));

const PLAN = '[[provides]]\nname = "thing"\n[[requires]]\nname = "thing"\n';
const WEB = '[[processes]]\ntype = "web"\ncommand = ["serve"]\ndefault = true\n';

async function buildWith(tree: Tree) {
  await writeTree(sandbox.app, tree);
  return build(sandbox, 'copy');
}

test('a valid build exports and lists its process types', async () => {
  const result = await buildWith({ 'out/launch.toml': `${WEB}[[processes]]\ntype = "worker"\ncommand = ["work"]\n` });
  expect(result.exitCode).toBe(0);
  expect(result.all).toContain('Process types: web (default), worker');
});

test.each([
  ['a string command', '[[processes]]\ntype = "web"\ncommand = "serve"\n', /command must be an array of strings/],
  ['a direct key', '[[processes]]\ntype = "web"\ncommand = ["serve"]\ndirect = true\n', /process\.direct is not supported/],
  ['two defaults', `${WEB}[[processes]]\ntype = "worker"\ncommand = ["work"]\ndefault = true\n`, /multiple default process types/],
  ['a bad process type', '[[processes]]\ntype = "web/app"\ncommand = ["serve"]\n', /process type "web\/app"/],
])('launch.toml with %s fails the build', async (_, launchToml, message) => {
  const result = await buildWith({ 'out/launch.toml': launchToml });
  expect(result.exitCode).toBe(1);
  expect(result.all).toMatch(message);
});

test('an unmet entry naming a plan entry passes', async () => {
  const result = await buildWith({ 'plan.toml': PLAN, 'out/build.toml': '[[unmet]]\nname = "thing"\n' });
  expect(result.exitCode).toBe(0);
});

test('an unmet entry naming something not in the plan fails the build', async () => {
  const result = await buildWith({ 'plan.toml': PLAN, 'out/build.toml': '[[unmet]]\nname = "other"\n' });
  expect(result.exitCode).toBe(1);
  expect(result.all).toMatch(/unmet\.name "other" must match a requested dependency/);
});

test.each([
  ['flags outside [types]', { 'out/a.toml': 'launch = true\n' }, /should be in the types table/],
  ['a reserved layer name', { 'out/store/file': '' }, /"store" cannot be a layer name/],
  [
    'an SBOM media type buildpack.toml does not declare',
    { 'out/a.toml': '[types]\nlaunch = true\n', 'out/a.sbom.spdx.json': '{}' },
    /undeclared SBOM media type/,
  ],
  ['an unsupported SBOM format', { 'out/a.toml': '[types]\nlaunch = true\n', 'out/a.sbom.xml': '<bom/>' }, /unsupported SBOM format "xml"/],
])('%s fails the build', async (_, tree, message) => {
  const result = await buildWith(tree);
  expect(result.exitCode).toBe(1);
  expect(result.all).toMatch(message);
});

test('a declared SBOM passes', async () => {
  const result = await buildWith({ 'out/a.toml': '[types]\nlaunch = true\n', 'out/a/f': '', 'out/a.sbom.cdx.json': '{}' });
  expect(result.exitCode).toBe(0);
});

test('all-false layers become <layer>.ignore and directories without a toml are dropped', async () => {
  const result = await buildWith({
    'out/off.toml': '[types]\n[metadata]\nx = 1\n',
    'out/off/f': '',
    'out/scratch/f': '',
    'out/kept.toml': '[types]\nbuild = true\n',
    'out/kept/f': '',
  });
  expect(result.exitCode).toBe(0);
  expect((await readdir(path.join(sandbox.layers, 'test_copy'))).sort()).toEqual(['kept', 'kept.toml', 'off.ignore', 'off.toml']);
});

test('a failing bin/build fails the build with its exit code', async () => {
  const result = await buildWith({ 'build-exit': '4' });
  expect(result.exitCode).toBe(1);
  expect(result.all).toMatch(/bin\/build failed[\s\S]*bin\/build exited with code 4/);
});
