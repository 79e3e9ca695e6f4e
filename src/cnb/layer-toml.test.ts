import TOML from '@iarna/toml';
import { checkLayerName, formatLayerToml, parseLayerToml, RESERVED_LAYER_NAMES } from './layer-toml.js';
import { cnbFormatError } from '../../test/support/build-errors.js';

describe('parseLayerToml (spec §4.3, assertion 35)', () => {
  test.each([
    ['an empty file: all flags false', '', { types: { build: false, launch: false, cache: false }, metadata: {} }],
    [
      'a restored file: [metadata] only',
      '[metadata]\nversion = "3.12.7"\n',
      { types: { build: false, launch: false, cache: false }, metadata: { version: '3.12.7' } },
    ],
    ['some flags', '[types]\nlaunch = true\ncache = true\n', { types: { build: false, launch: true, cache: true }, metadata: {} }],
    [
      'all flags and nested metadata',
      '[types]\nlaunch = true\nbuild = true\ncache = true\n[metadata]\nversion = "3.13.1"\n[metadata.target]\narch = "arm64"\n',
      { types: { build: true, launch: true, cache: true }, metadata: { version: '3.13.1', target: { arch: 'arm64' } } },
    ],
  ])('%s', (_what, text, expected) => expect(parseLayerToml(text, 'python.toml')).toEqual(expected));

  test.each([
    ['launch at top level', 'launch = true\n', /the launch, cache and build flags should be in the types table/],
    ['build at top level', 'build = false\n[types]\nbuild = true\n', /should be in the types table/],
    ['cache at top level', 'cache = true\n', /should be in the types table/],
    ['a non-boolean flag', '[types]\nlaunch = "true"\n', /types.launch must be a boolean/],
    ['types that is not a table', 'types = 1\n', /\[types\] must be a table/],
    ['metadata that is not a table', 'metadata = "x"\n', /\[metadata\] must be a table/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseLayerToml(text, 'python.toml')).toThrow(cnbFormatError('layer.toml'));
    expect(() => parseLayerToml(text, 'python.toml')).toThrow(message);
  });

  test('invalid TOML names the file', () => {
    expect(() => parseLayerToml('[types', '/layers/bp/python.toml')).toThrow('/layers/bp/python.toml is not valid TOML');
  });
});

describe('formatLayerToml', () => {
  test('flags go under [types], data under [metadata], nothing at the top (assertion 35)', () => {
    const text = formatLayerToml({ types: { launch: true, build: true, cache: false }, metadata: { version: '3.12.7', sha256: 'ab' } });
    const table = TOML.parse(text);
    expect(Object.keys(table).sort()).toEqual(['metadata', 'types']);
    expect(table.types).toEqual({ launch: true, build: true, cache: false });
    expect(table.metadata).toEqual({ version: '3.12.7', sha256: 'ab' });
  });

  test('round trip', () => {
    const content = { types: { launch: false, build: true, cache: true }, metadata: { a: [1, 2], b: { c: 'd' } } };
    expect(parseLayerToml(formatLayerToml(content), 'x.toml')).toEqual(content);
  });
});

describe('checkLayerName (assertion 33)', () => {
  test('the reserved names are build, launch and store', () =>
    expect([...RESERVED_LAYER_NAMES].sort()).toEqual(['build', 'launch', 'store']));
  test.each(['build', 'launch', 'store', '', '.', '..', 'a/b', '/abs'])('%j is refused', (name) => {
    expect(() => checkLayerName(name)).toThrow(cnbFormatError('layer name'));
  });
  test.each(['python', 'venv', 'Build', 'launcher', 'pip-cache', 'store2'])('%j is accepted', (name) => {
    expect(() => checkLayerName(name)).not.toThrow();
  });
});
