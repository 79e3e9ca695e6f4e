import { fileMode, layerEntries, layerRoot, packageEntries, packageName, parentDirs } from './layout.js';

test('bin/detect, bin/build and the shipped node are executable; everything else is 0644', () => {
  expect(['bin/detect', 'bin/build', 'node/bin/node'].map(fileMode)).toEqual([0o755, 0o755, 0o755]);
  expect(['buildpack.toml', 'dist/pywarp.js', 'layers/launcher/pywarp_launch.py', 'bin/other'].map(fileMode)).toEqual([
    0o644, 0o644, 0o644, 0o644,
  ]);
});

test('parentDirs lists every ancestor once, and nothing for root files', () => {
  expect(parentDirs(['layers/launcher/a.py', 'layers/launcher/b.py', 'buildpack.toml']).sort()).toEqual(['layers', 'layers/launcher']);
});

test('entries come sorted by bytes with every directory explicit and 0755, before its contents', () => {
  const entries = packageEntries([
    { path: 'node/bin/node', source: '/usr/bin/node' },
    { path: 'buildpack.toml', source: Buffer.from('api = "0.10"\n') },
    { path: 'bin/detect', source: '/repo/bin/detect' },
    { path: 'bin/build', source: '/repo/bin/build' },
    { path: 'README.md', source: '/repo/README.md' },
  ]);
  expect(entries.map((e) => `${e.type === 'directory' ? 'd' : 'f'} ${e.mode.toString(8)} ${e.path}`)).toEqual([
    'f 644 README.md',
    'd 755 bin',
    'f 755 bin/build',
    'f 755 bin/detect',
    'f 644 buildpack.toml',
    'd 755 node',
    'd 755 node/bin',
    'f 755 node/bin/node',
  ]);
});

test('the input order does not change the result', () => {
  const files = [
    { path: 'b/x', source: 'x' },
    { path: 'a-b', source: 'y' },
    { path: 'a/z', source: 'z' },
  ];
  expect(packageEntries([...files].reverse())).toEqual(packageEntries(files));
  // '-' sorts before '/', and 'a' (the directory) before both
  expect(packageEntries(files).map((e) => e.path)).toEqual(['a', 'a-b', 'a/z', 'b', 'b/x']);
});

test('the package is named after the buildpack id and version', () => {
  expect(packageName('pywarp/python', '0.1.0')).toBe('pywarp-python-0.1.0');
  expect(packageName('pywarp/python', '0.1.0', 'arm64')).toBe('pywarp-python-0.1.0-arm64');
});

test('a buildpackage layer holds the buildpack under /cnb/buildpacks/<escaped id>/<version>/, ancestors first', () => {
  expect(layerRoot('pywarp/python', '0.1.0')).toBe('cnb/buildpacks/pywarp_python/0.1.0');
  const entries = layerEntries(
    packageEntries([
      { path: 'bin/detect', source: 'x' },
      { path: 'buildpack.toml', source: 'y' },
    ]),
    'cnb/buildpacks/a_b/1.0.0',
  );
  expect(entries.map((e) => `${e.type === 'directory' ? 'd' : 'f'} ${e.mode.toString(8)} ${e.path}`)).toEqual([
    'd 755 cnb',
    'd 755 cnb/buildpacks',
    'd 755 cnb/buildpacks/a_b',
    'd 755 cnb/buildpacks/a_b/1.0.0',
    'd 755 cnb/buildpacks/a_b/1.0.0/bin',
    'f 755 cnb/buildpacks/a_b/1.0.0/bin/detect',
    'f 644 cnb/buildpacks/a_b/1.0.0/buildpack.toml',
  ]);
});
