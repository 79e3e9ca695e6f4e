import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BuildError } from '../output/build-error.js';
import { compileLauncher, isHashBasedPyc, rehashPycs, timestampPycs } from './pyc.js';
import { failureText } from '../output/messages.js';
import { isInternal } from '../output/failures.js';

/** A PEP 552 header: magic (3.12's), flags, then 8 bytes of mtime+size or source hash. */
function pycHeader(flags: number): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32LE(0x0a0d0dcb, 0);
  header.writeUInt32LE(flags, 4);
  header.writeUInt32LE(315532801, 8);
  header.writeUInt32LE(1234, 12);
  return header;
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pywarp-pyc-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('isHashBasedPyc (PEP 552, assertion 43)', () => {
  test.each<[string, Buffer, boolean]>([
    ['flags 0: timestamp-based', pycHeader(0), false],
    ['flags 1: unchecked hash', pycHeader(0b01), true],
    ['flags 3: checked hash', pycHeader(0b11), true],
    ['flags 2: check_source without hash bit', pycHeader(0b10), false],
    ['exactly 8 bytes, hash', pycHeader(1).subarray(0, 8), true],
    ['7 bytes', pycHeader(1).subarray(0, 7), false],
    ['empty', Buffer.alloc(0), false],
    ['a high flag bit alone', pycHeader(0x100), false],
  ])('%s → %s', (_what, header, expected) => expect(isHashBasedPyc(header)).toBe(expected));
});

describe('timestampPycs', () => {
  test('finds the mtime-based .pyc files in a tree, and only those', async () => {
    const cache = path.join(tmp, 'lib', 'python3.12', '__pycache__');
    const deep = path.join(tmp, 'lib', 'python3.12', 'site-packages', 'pkg', '__pycache__');
    await mkdir(cache, { recursive: true });
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(cache, 'os.cpython-312.pyc'), Buffer.concat([pycHeader(0), Buffer.from('code')]));
    await writeFile(path.join(cache, 'abc.cpython-312.pyc'), Buffer.concat([pycHeader(1), Buffer.from('code')]));
    await writeFile(path.join(cache, 're.cpython-312.opt-1.pyc'), pycHeader(3));
    await writeFile(path.join(deep, '__init__.cpython-312.pyc'), pycHeader(0));
    await writeFile(path.join(deep, 'short.cpython-312.pyc'), Buffer.from([1, 2, 3]));
    await writeFile(path.join(deep, 'not-a-pyc.py'), 'print(1)');
    await writeFile(path.join(deep, 'data.pyc.bak'), pycHeader(0));
    await symlink(path.join(cache, 'os.cpython-312.pyc'), path.join(tmp, 'link.pyc'));
    expect((await timestampPycs(tmp)).sort()).toEqual(
      [
        path.join(cache, 'os.cpython-312.pyc'),
        path.join(deep, '__init__.cpython-312.pyc'),
        path.join(deep, 'short.cpython-312.pyc'),
      ].sort(),
    );
  });

  test('an all-hash tree has none', async () => {
    await writeFile(path.join(tmp, 'a.pyc'), pycHeader(1));
    expect(await timestampPycs(tmp)).toEqual([]);
  });

  test('an empty tree has none', async () => {
    expect(await timestampPycs(tmp)).toEqual([]);
  });
});

describe('rehashPycs', () => {
  const python = '/usr/bin/python3';

  test('recompiles timestamp-based .pyc files as hash-based', async () => {
    const pkg = path.join(tmp, 'pkg');
    await mkdir(path.join(pkg, '__pycache__'), { recursive: true });
    await writeFile(path.join(pkg, 'mod.py'), 'X = 1\n');
    await writeFile(path.join(pkg, '__pycache__', 'mod.cpython-311.pyc'), pycHeader(0));
    expect(await rehashPycs(tmp, python)).toBe(1);
    expect(await timestampPycs(tmp)).toEqual([]);
  });

  test('a source Python cannot compile is a titled internal error quoting Python', async () => {
    const pkg = path.join(tmp, 'pkg');
    await mkdir(path.join(pkg, '__pycache__'), { recursive: true });
    await writeFile(path.join(pkg, 'broken.py'), 'def (:\n');
    await writeFile(path.join(pkg, '__pycache__', 'broken.cpython-311.pyc'), pycHeader(0));
    const err = await rehashPycs(tmp, python).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect(isInternal((err as BuildError).failure)).toBe(true);
    expect(failureText((err as BuildError).failure).body).toContain('SyntaxError');
  });
});

describe('compileLauncher', () => {
  const python = '/usr/bin/python3';
  const readBack = (file: string) =>
    execFileSync(python, ['-I', '-c', 'import json, marshal, sys; print(json.dumps(marshal.load(open(sys.argv[1], "rb"))[1]))', file], {
      encoding: 'utf8',
    });
  const compile = async (modules: Record<string, string>, json: string) => {
    for (const [name, text] of Object.entries(modules)) await writeFile(path.join(tmp, name), text);
    await writeFile(path.join(tmp, 'launch.json'), json);
    return compileLauncher({
      modules: Object.keys(modules).map((name) => path.join(tmp, name)),
      json: path.join(tmp, 'launch.json'),
      jsonCopy: path.join(tmp, 'launch.json.marshal'),
      python,
    });
  };

  test('writes a hash-checked .pyc beside each module, in __pycache__', async () => {
    await compile({ 'a.py': 'X = 1\n', 'b.py': 'Y = 2\n' }, '{}');
    const pycs = (await readdir(path.join(tmp, '__pycache__'))).sort();
    expect(pycs.map((f) => f.split('.')[0])).toEqual(['a', 'b']);
    for (const pyc of pycs) {
      const header = await readFile(path.join(tmp, '__pycache__', pyc));
      expect(header.readUInt32LE(4)).toBe(0b11); // hash-based, checked against the source
    }
  });

  test('writes (the bytes, the data) of the JSON in marshal format, which the launcher reads without json', async () => {
    const data = { version: 1, text: 'é \u2028 "q" \\ 😀', list: [1, 2.5, true, false, null], nested: { a: {} } };
    await compile({ 'a.py': 'X = 1\n' }, JSON.stringify(data, null, 2));
    expect(JSON.parse(readBack(path.join(tmp, 'launch.json.marshal')))).toEqual(data);
    const check = 'import marshal, sys; raw, _ = marshal.load(open(sys.argv[1], "rb")); print(raw == open(sys.argv[2], "rb").read())';
    const copy = path.join(tmp, 'launch.json.marshal');
    expect(execFileSync(python, ['-I', '-c', check, copy, path.join(tmp, 'launch.json')], { encoding: 'utf8' })).toBe('True\n');
  });

  test.each<[string, Record<string, string>, string, string]>([
    ['a module Python cannot compile', { 'broken.py': 'def (:\n' }, '{}', 'SyntaxError'],
    ['a JSON file that is not JSON', { 'a.py': 'X = 1\n' }, '{"version": 1,', 'JSONDecodeError'],
  ])('%s is a titled internal error quoting Python', async (_name, modules, json, quoted) => {
    const err = await compile(modules, json).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect(isInternal((err as BuildError).failure)).toBe(true);
    expect(failureText((err as BuildError).failure).body).toContain(quoted);
  });
});
