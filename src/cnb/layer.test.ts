import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commitLayer, discardLayer, openLayer, type LayerDefinition } from './layer.js';
import { parseLayerToml } from './layer-toml.js';
import type { TomlTable } from './toml.js';
import { cnbFormatError } from '../../test/support/build-errors.js';

interface Meta {
  version: string;
}

let layers: string;
beforeEach(async () => {
  layers = await mkdtemp(path.join(os.tmpdir(), 'pywarp-layer-'));
});
afterEach(async () => {
  await rm(layers, { recursive: true, force: true });
});

const TYPES = { launch: true, build: true, cache: true };

function def(wanted = '3.12.7', name = 'python'): LayerDefinition<Meta> {
  return {
    name,
    types: TYPES,
    readMetadata: (raw: TomlTable) => (typeof raw.version === 'string' ? { version: raw.version } : undefined),
    invalidationReasons: (cached) => (cached.version === wanted ? [] : [`the requested version is now ${wanted}`]),
  };
}

const exists = async (p: string) => (await stat(p).catch(() => undefined)) !== undefined;
const tomlOf = (name = 'python') => path.join(layers, `${name}.toml`);
const dirOf = (name = 'python') => path.join(layers, name);

/** What the lifecycle leaves from a previous build: the dir and a `<layer>.toml` without [types]. */
async function restore(metadataToml: string, name = 'python', withDir = true): Promise<void> {
  if (withDir) {
    await mkdir(path.join(dirOf(name), 'bin'), { recursive: true });
    await writeFile(path.join(dirOf(name), 'bin', 'python3'), 'old');
  }
  await writeFile(tomlOf(name), metadataToml);
}

describe('openLayer', () => {
  test('a new layer: an empty dir and no <layer>.toml yet (assertion 34 holds only after commit)', async () => {
    const layer = await openLayer(layers, def());
    expect(layer).toEqual({ name: 'python', path: dirOf(), tomlPath: tomlOf(), types: TYPES, state: { kind: 'empty', cause: 'new' } });
    expect(await readdir(dirOf())).toEqual([]);
    expect(await exists(tomlOf())).toBe(false);
  });

  test('a restored, still valid layer is kept and re-typed at once (assertion 39)', async () => {
    await restore('[metadata]\nversion = "3.12.7"\nextra = "kept"\n');
    const layer = await openLayer(layers, def());
    expect(layer.state).toEqual({ kind: 'restored', metadata: { version: '3.12.7' } });
    expect(await readFile(path.join(dirOf(), 'bin', 'python3'), 'utf8')).toBe('old');
    const toml = parseLayerToml(await readFile(tomlOf(), 'utf8'), 'python.toml');
    expect(toml).toEqual({ types: TYPES, metadata: { version: '3.12.7', extra: 'kept' } });
    expect(await readFile(tomlOf(), 'utf8')).toMatch(/\[types\]/);
  });

  test('metadata of the wrong shape empties the layer', async () => {
    await restore('[metadata]\nversion = 3\n');
    const layer = await openLayer(layers, def());
    expect(layer.state).toEqual({ kind: 'empty', cause: 'invalid-metadata' });
    expect(await readdir(dirOf())).toEqual([]);
    expect(await exists(tomlOf())).toBe(false);
  });

  test('an invalidated layer is emptied and says why (assertion 40)', async () => {
    await restore('[metadata]\nversion = "3.12.6"\n');
    const layer = await openLayer(layers, def('3.12.7'));
    expect(layer.state).toEqual({
      kind: 'empty',
      cause: 'invalidated',
      previous: { version: '3.12.6' },
      reasons: ['the requested version is now 3.12.7'],
    });
    expect(await readdir(dirOf())).toEqual([]);
    expect(await exists(tomlOf())).toBe(false);
  });

  test('a restored <layer>.toml without its dir counts as new (assertion 38)', async () => {
    await restore('[metadata]\nversion = "3.12.7"\n', 'python', false);
    const layer = await openLayer(layers, def());
    expect(layer.state).toEqual({ kind: 'empty', cause: 'new' });
    expect(await exists(tomlOf())).toBe(false);
    expect(await readdir(dirOf())).toEqual([]);
  });

  test.each([
    ['unparseable TOML', '[metadata\n'],
    ['flags at the top level', 'launch = true\n[metadata]\nversion = "3.12.7"\n'],
  ])('a restored layer with %s is not reused', async (_what, text) => {
    await restore(text);
    const layer = await openLayer(layers, def());
    expect(layer.state.kind).toBe('empty');
    expect(await readdir(dirOf())).toEqual([]);
    expect(await exists(tomlOf())).toBe(false);
  });

  test('a dir without <layer>.toml (an earlier build that died) is not reused', async () => {
    await mkdir(dirOf());
    await writeFile(path.join(dirOf(), 'half-written'), 'x');
    const layer = await openLayer(layers, def());
    expect(layer.state).toEqual({ kind: 'empty', cause: 'new' });
    expect(await readdir(dirOf())).toEqual([]);
  });

  test('a crash between open and commit leaves nothing a later build reuses', async () => {
    // Build 1: the cached layer is out of date, so it is emptied and refilled, then the build dies.
    await restore('[metadata]\nversion = "3.12.6"\n');
    const first = await openLayer(layers, def('3.12.7'));
    expect(first.state.kind).toBe('empty');
    expect(await exists(tomlOf())).toBe(false);
    await writeFile(path.join(first.path, 'partial'), 'half');
    // No commitLayer: the lifecycle ignores a dir with no <layer>.toml.
    expect(await exists(tomlOf())).toBe(false);
    // Build 2 (same inputs as build 1 wanted): must start over, not trust the half-filled dir.
    const second = await openLayer(layers, def('3.12.7'));
    expect(second.state).toEqual({ kind: 'empty', cause: 'new' });
    expect(await readdir(second.path)).toEqual([]);
  });

  test('commit writes [types] and [metadata]; the next open reuses the layer', async () => {
    const layer = await openLayer(layers, def());
    await writeFile(path.join(layer.path, 'file'), 'content');
    await commitLayer(layer, { version: '3.12.7' });
    expect(parseLayerToml(await readFile(tomlOf(), 'utf8'), 'python.toml')).toEqual({ types: TYPES, metadata: { version: '3.12.7' } });
    const again = await openLayer(layers, def());
    expect(again.state).toEqual({ kind: 'restored', metadata: { version: '3.12.7' } });
    expect(await readFile(path.join(again.path, 'file'), 'utf8')).toBe('content');
  });

  test('other layers are left alone', async () => {
    await restore('[metadata]\nversion = "1"\n', 'venv');
    await openLayer(layers, def());
    expect(await exists(tomlOf('venv'))).toBe(true);
    expect(await exists(path.join(dirOf('venv'), 'bin', 'python3'))).toBe(true);
  });

  test.each(['build', 'launch', 'store', '', '.', '..', 'a/b'])(
    'layer name %j is refused before touching the disk (assertion 33)',
    async (name) => {
      await writeFile(path.join(layers, 'keep'), 'x');
      await expect(openLayer(layers, def('3.12.7', name))).rejects.toThrow(cnbFormatError('layer name'));
      expect(await readdir(layers)).toEqual(['keep']);
    },
  );
});

describe('discardLayer', () => {
  test('removes the dir and the toml', async () => {
    const layer = await openLayer(layers, def());
    await writeFile(path.join(layer.path, 'f'), 'x');
    await commitLayer(layer, { version: '3.12.7' });
    await discardLayer(layer);
    expect(await readdir(layers)).toEqual([]);
  });

  test('is fine when nothing is there', async () => {
    await expect(discardLayer({ path: dirOf(), tomlPath: tomlOf() })).resolves.toBeUndefined();
  });
});
