// A build's lock outlives a pywarp killed alone while its bin/build runs on: the orphan still
// writes the layers, so no other build may start and nothing may be launched from them until it
// ends; then the previous image comes back. The buildpack holds in bin/build until told to go on.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { executable, launch, makeSandbox, pywarp, removeSandbox, startPywarp, writeTree, type Sandbox } from './harness.js';

let sandbox: Sandbox;
let bp: string;
beforeEach(async () => {
  sandbox = await makeSandbox();
  bp = path.join(sandbox.root, 'bp');
  await writeTree(bp, {
    'buildpack.toml': 'api = "0.10"\n\n[buildpack]\nid = "test/hold"\nversion = "0.0.1"\nname = "Hold"\n\n[[targets]]\nos = "linux"\n',
    'bin/detect': executable('#!/bin/sh\nexit 0\n'),
    // Copies out/ into the layers; with a file "hold" in the app, says so ("held") and waits for "release".
    'bin/build': executable(`#!/bin/sh
set -e
cp -R out/. "$CNB_LAYERS_DIR/"
if [ -e hold ]; then
  : > held
  i=0; while [ ! -e release ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done
fi
`),
  });
});
afterEach(() => removeSandbox(sandbox));

const dirs = () => ['--layers', sandbox.layers, '--cache', sandbox.cache, '--platform', sandbox.platform];
const args = () => ['build', sandbox.app, '--buildpack', bp, ...dirs()];

/** An app whose layer's `hello` prints `word`. */
function app(word: string) {
  return writeTree(sandbox.app, {
    'out/l.toml': '[types]\nlaunch = true\n',
    'out/l/bin/hello': executable(`#!/bin/sh\necho ${word}\n`),
    'out/launch.toml': '[[processes]]\ntype = "web"\ncommand = ["hello"]\ndefault = true\n',
  });
}

async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  expect(ready()).toBe(true);
}

test('pywarp SIGKILLed alone: its bin/build keeps the lock until it ends, then the previous build is launched', async () => {
  await app('one');
  const built = await pywarp(args(), sandbox.env);
  expect([built.exitCode, built.all]).toEqual([0, expect.any(String)]);

  await app('two');
  await writeFile(path.join(sandbox.app, 'hold'), '');
  const first = startPywarp(args(), sandbox.env);
  try {
    await until(() => existsSync(path.join(sandbox.app, 'held')));
    process.kill(first.pid as number, 'SIGKILL');
    await until(() => first.signalCode !== null);

    const second = await pywarp(args(), sandbox.env);
    expect(second.exitCode).toBe(1);
    expect(second.all).toContain(
      `[Error: Another build is running]\npywarp build (pid ${first.pid}) has ended, but a process it started (bin/build, pip) still holds`,
    );
    const launched = await launch(sandbox);
    expect([launched.exitCode, launched.all]).toEqual([82, expect.stringContaining('[Error: A build of this app is running]\n')]);
  } finally {
    await writeFile(path.join(sandbox.app, 'release'), '');
  }
  await first; // its output ends with the orphan bin/build

  const launched = await launch(sandbox);
  expect([launched.exitCode, launched.stdout]).toEqual([0, 'one']);
  await rm(path.join(sandbox.app, 'hold'));
  expect((await pywarp(args(), sandbox.env)).exitCode).toBe(0);
  expect((await launch(sandbox)).stdout).toBe('two');
}, 120_000);
