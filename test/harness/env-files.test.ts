// The launch environment built from layers' env files, checked against the launcher's rules (spec §4.5, §5).
import path from 'node:path';
import { build, executable, launch, makeSandbox, parseEnv, removeSandbox, writeTree, type Sandbox } from './harness.js';

const LAUNCH_TOML = `
[[processes]]
type = "web"
command = ["env"]
default = true

[[processes]]
type = "other"
command = ["env"]
`;

/** Three layers: a and b launch, c build-only. Files are written as the app's out/, which the copy buildpack copies. */
const LAYERS = {
  'out/launch.toml': LAUNCH_TOML,
  'out/a.toml': '[types]\nlaunch = true\n',
  'out/a/bin/tool-a': executable('#!/bin/sh\necho a\n'),
  'out/a/lib/liba.so': '',
  'out/a/env/BARE': 'bare-layer',
  'out/a/env/OVR.override': 'override-layer',
  'out/a/env/DEF_SET.default': 'default-layer',
  'out/a/env/DEF_UNSET.default': 'default-layer',
  'out/a/env/PP.prepend': '/layer',
  'out/a/env/PP.delim': ':',
  'out/a/env/AP.append': 'layer',
  'out/a/env/AP.delim': ',',
  'out/a/env/GLUE.prepend': 'pre-',
  'out/a/env/ORDER': 'env',
  'out/a/env.launch/ORDER': 'env.launch',
  'out/a/env.launch/web/ORDER': 'env.launch/web',
  'out/a/env.build/BUILD_ONLY': 'build',
  'out/a/env/FIRST.default': 'a',
  'out/a/env/LAST': 'a',
  'out/b.toml': '[types]\nlaunch = true\n',
  'out/b/bin/tool-b': executable('#!/bin/sh\necho b\n'),
  'out/b/env/FIRST.default': 'b',
  'out/b/env/LAST': 'b',
  'out/c.toml': '[types]\nbuild = true\n',
  'out/c/bin/tool-c': executable('#!/bin/sh\necho c\n'),
  'out/c/env/NOT_LAUNCH': 'c',
};

/** What a user sets with `docker run -e`. */
const CALLER = { BARE: 'caller', OVR: 'caller', DEF_SET: 'caller', PP: '/caller', AP: 'caller', GLUE: 'value' };

let sandbox: Sandbox;
let bpDir: string;

beforeAll(async () => {
  sandbox = await makeSandbox();
  bpDir = path.join(sandbox.layers, 'test_copy');
  await writeTree(sandbox.app, LAYERS);
  const result = await build(sandbox, 'copy');
  expect(result.exitCode).toBe(0);
}, 60_000);

afterAll(() => removeSandbox(sandbox));

async function launchEnv(args: string[] = []): Promise<Record<string, string>> {
  const result = await launch(sandbox, args, CALLER);
  expect(result.exitCode).toBe(0);
  return parseEnv(result.stdout);
}

test('bare and .override files beat the caller, .default yields to it', async () => {
  expect(await launchEnv()).toMatchObject({ BARE: 'bare-layer', OVR: 'override-layer', DEF_SET: 'caller', DEF_UNSET: 'default-layer' });
});

test('.prepend and .append join with .delim; a prepend without one is glued on', async () => {
  expect(await launchEnv()).toMatchObject({ PP: '/layer:/caller', AP: 'caller,layer', GLUE: 'pre-value' });
});

test('env, then env.launch, then env.launch/<type> apply, the last only for that process', async () => {
  expect((await launchEnv()).ORDER).toBe('env.launch/web');
  expect((await launchEnv(['--process', 'other'])).ORDER).toBe('env.launch');
});

test('across layers an override from the later layer wins and a default from the earlier one', async () => {
  expect(await launchEnv()).toMatchObject({ FIRST: 'a', LAST: 'b' });
});

test('bin goes on PATH (later layer first) and lib on LD_LIBRARY_PATH, for launch layers only', async () => {
  const env = await launchEnv();
  expect(env.PATH).toBe(`${bpDir}/b/bin:${bpDir}/a/bin:${sandbox.env.PATH}`);
  expect(env.LD_LIBRARY_PATH).toBe(`${bpDir}/a/lib`);
});

test('env.build and the env of build-only layers stay out of the launch env', async () => {
  const env = await launchEnv();
  expect(env).not.toHaveProperty('BUILD_ONLY');
  expect(env).not.toHaveProperty('NOT_LAUNCH');
});
