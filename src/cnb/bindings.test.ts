import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bindingsOfType, bindingsRoot, readBindings, type Binding } from './bindings.js';

let tmp: string;
let platform: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-bindings-'));
  platform = path.join(tmp, 'platform');
  await mkdir(platform);
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function binding(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(dir, file), content);
  return dir;
}

describe('bindingsRoot (assertion 71)', () => {
  test.each([
    ['SERVICE_BINDING_ROOT wins', { SERVICE_BINDING_ROOT: '/sb' }, '/sb'],
    ['otherwise <platform>/bindings', {}, '/platform/bindings'],
    ['an empty SERVICE_BINDING_ROOT counts as unset', { SERVICE_BINDING_ROOT: '' }, '/platform/bindings'],
  ])('%s', (_what, env, expected) => expect(bindingsRoot(env, '/platform')).toBe(expected));
});

describe('readBindings (assertion 71)', () => {
  test('no bindings dir: no bindings', async () => {
    expect(await readBindings({}, platform)).toEqual([]);
  });

  test('reads <platform>/bindings when SERVICE_BINDING_ROOT is unset', async () => {
    const dir = await binding(path.join(platform, 'bindings'), 'mirror', { type: 'dependency-mapping', abc: 'https://m/x.tgz' });
    expect(await readBindings({}, platform)).toEqual([
      { name: 'mirror', path: dir, type: 'dependency-mapping', entries: { abc: 'https://m/x.tgz' } },
    ]);
  });

  test('reads $SERVICE_BINDING_ROOT, not <platform>/bindings, when it is set', async () => {
    await binding(path.join(platform, 'bindings'), 'ignored', { type: 'x' });
    const root = path.join(tmp, 'sb');
    const dir = await binding(root, 'certs', { type: 'ca-certificates', 'ca.pem': 'PEM' });
    expect(await readBindings({ SERVICE_BINDING_ROOT: root }, platform)).toEqual([
      { name: 'certs', path: dir, type: 'ca-certificates', entries: { 'ca.pem': 'PEM' } },
    ]);
  });

  test('values are trimmed and provider is split out', async () => {
    const root = path.join(platform, 'bindings');
    await binding(root, 'db', {
      type: '  postgresql\n',
      provider: 'bitnami\n',
      host: ' db.local \n',
      port: '5432\r\n',
      password: '\tsecret ',
    });
    expect(await readBindings({}, platform)).toEqual([
      {
        name: 'db',
        path: path.join(root, 'db'),
        type: 'postgresql',
        provider: 'bitnami',
        entries: { host: 'db.local', port: '5432', password: 'secret' },
      },
    ]);
  });

  test('only directories with a type file are bindings', async () => {
    const root = path.join(platform, 'bindings');
    await binding(root, 'no-type', { provider: 'p', key: 'v' });
    await binding(root, 'type-is-a-dir', { key: 'v' });
    await mkdir(path.join(root, 'type-is-a-dir', 'type'));
    await writeFile(path.join(root, 'a-file'), 'x');
    await binding(root, 'good', { type: 't' });
    expect((await readBindings({}, platform)).map((b) => b.name)).toEqual(['good']);
  });

  test('dotfiles and subdirectories are not entries; Kubernetes ..data symlinks are followed for real entries', async () => {
    const root = path.join(platform, 'bindings');
    const dir = await binding(root, 'k8s', {});
    // The layout a Kubernetes secret volume has: entries are symlinks into ..data.
    await mkdir(path.join(dir, '..2024_01_01'), { recursive: true });
    await writeFile(path.join(dir, '..2024_01_01', 'type'), 'dependency-mapping');
    await writeFile(path.join(dir, '..2024_01_01', 'key'), 'value\n');
    await symlink('..2024_01_01', path.join(dir, '..data'));
    await symlink('..data/type', path.join(dir, 'type'));
    await symlink('..data/key', path.join(dir, 'key'));
    await writeFile(path.join(dir, '.hidden'), 'no');
    await mkdir(path.join(dir, 'subdir'));
    await writeFile(path.join(dir, 'subdir', 'inner'), 'no');
    expect(await readBindings({}, platform)).toEqual([{ name: 'k8s', path: dir, type: 'dependency-mapping', entries: { key: 'value' } }]);
  });

  test('dot-named binding dirs are skipped; the rest come back in name order', async () => {
    const root = path.join(platform, 'bindings');
    await binding(root, '.hidden', { type: 't' });
    await binding(root, 'b', { type: 't' });
    await binding(root, 'a', { type: 't' });
    expect((await readBindings({}, platform)).map((b) => b.name)).toEqual(['a', 'b']);
  });

  test('a binding with only a type has no entries and no provider', async () => {
    const dir = await binding(path.join(platform, 'bindings'), 'x', { type: 'T' });
    const [only] = await readBindings({}, platform);
    expect(only).toEqual({ name: 'x', path: dir, type: 'T', entries: {} });
    expect(only && 'provider' in only).toBe(false);
  });
});

describe('bindingsOfType (assertion 71)', () => {
  const b = (name: string, type: string): Binding => ({ name, path: `/b/${name}`, type, entries: {} });
  const all = [
    b('one', 'dependency-mapping'),
    b('two', 'Dependency-Mapping'),
    b('three', 'ca-certificates'),
    b('four', 'DEPENDENCY-MAPPING'),
  ];
  test.each([
    ['dependency-mapping', ['one', 'two', 'four']],
    ['DEPENDENCY-mapping', ['one', 'two', 'four']],
    ['ca-certificates', ['three']],
    ['dependency', []],
  ])('%s', (type, names) => expect(bindingsOfType(all, type).map((x) => x.name)).toEqual(names));
});
