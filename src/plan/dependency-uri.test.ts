import type { Binding } from '../cnb/bindings.js';
import { applyMirror, downloadSource, mirrorHost } from './dependency-uri.js';
import { buildErrorOf } from '../../test/support/build-errors.js';

const SHA = 'cefba034445d2875408d1fd4d5700ae6731563aeb54dcb39fd8164ab5c457533';
const OTHER_SHA = '86dfb106b303fa6a1991f7da42ced3e11576f777be299b3162e06617b6d22542';
const URI = 'https://github.com/astral-sh/python-build-standalone/releases/download/20260814/cpython-3.14.7%2B20260814-x86_64.tar.gz';
const PATH = '/astral-sh/python-build-standalone/releases/download/20260814/cpython-3.14.7%2B20260814-x86_64.tar.gz';

const binding = (name: string, type: string, entries: Record<string, string>): Binding => ({
  name,
  path: `/platform/bindings/${name}`,
  type,
  entries,
});

describe('mirrorHost (spec §7)', () => {
  test.each([
    ['BP_DEPENDENCY_MIRROR_GITHUB_COM', 'github.com'],
    ['BP_DEPENDENCY_MIRROR_OBJECTS_GITHUBUSERCONTENT_COM', 'objects.githubusercontent.com'],
    ['BP_DEPENDENCY_MIRROR_MY__MIRROR_EXAMPLE_ORG', 'my-mirror.example.org'],
    ['BP_DEPENDENCY_MIRROR_A__B__C_D', 'a-b-c.d'],
    ['BP_DEPENDENCY_MIRROR_LOCALHOST', 'localhost'],
  ])('%s → %s', (variable, host) => expect(mirrorHost(variable)).toBe(host));
});

describe('applyMirror', () => {
  test.each([
    ['https://mirror.example.com', `https://mirror.example.com${PATH}`],
    ['https://mirror.example.com/', `https://mirror.example.com${PATH}`],
    ['https://mirror.example.com/deps//', `https://mirror.example.com/deps${PATH}`],
    ['https://mirror.example.com/{originalHost}', `https://mirror.example.com/github.com${PATH}`],
    ['http://10.0.0.1:8080/cache/{originalHost}/x', `http://10.0.0.1:8080/cache/github.com/x${PATH}`],
    ['file:///srv/mirror', `file:///srv/mirror${PATH}`],
  ])('%s', (mirror, expected) => expect(applyMirror(URI, mirror)).toBe(expected));

  test('the query string is kept, the fragment dropped', () => {
    expect(applyMirror('https://h.example/a/b.tgz?x=1#frag', 'https://m.example')).toBe('https://m.example/a/b.tgz?x=1');
  });

  test('{originalHost} keeps a non-default port', () => {
    expect(applyMirror('https://h.example:8443/a.tgz', 'https://m.example/{originalHost}')).toBe('https://m.example/h.example:8443/a.tgz');
  });
});

describe('downloadSource precedence: mapping > host mirror > default mirror > none', () => {
  const mapping = binding('deps', 'dependency-mapping', { [SHA]: 'https://internal.example/cpython.tgz' });
  const hostMirror = { BP_DEPENDENCY_MIRROR_GITHUB_COM: 'https://gh-mirror.example' };
  const defaultMirror = { BP_DEPENDENCY_MIRROR: 'https://all-mirror.example/{originalHost}' };

  test.each<[string, Record<string, string>, Binding[], { uri: string; via?: string }]>([
    ['nothing set: the buildpack URI', {}, [], { uri: URI }],
    [
      'a mapping binding by sha256',
      {},
      [mapping],
      { uri: 'https://internal.example/cpython.tgz', via: 'the dependency-mapping binding "deps"' },
    ],
    [
      'a mapping beats both mirrors',
      { ...hostMirror, ...defaultMirror },
      [mapping],
      { uri: 'https://internal.example/cpython.tgz', via: 'the dependency-mapping binding "deps"' },
    ],
    [
      'a mapping binding type is matched case-insensitively',
      {},
      [binding('deps', 'Dependency-Mapping', { [SHA]: 'file:///m/c.tgz' })],
      { uri: 'file:///m/c.tgz', via: 'the dependency-mapping binding "deps"' },
    ],
    [
      'a mapping for another sha256 does not apply',
      {},
      [binding('deps', 'dependency-mapping', { [OTHER_SHA]: 'https://x/y' })],
      { uri: URI },
    ],
    ['a binding of another type does not apply', {}, [binding('deps', 'dependency-mirror', { [SHA]: 'https://x/y' })], { uri: URI }],
    ['a host mirror', hostMirror, [], { uri: `https://gh-mirror.example${PATH}`, via: 'BP_DEPENDENCY_MIRROR_GITHUB_COM' }],
    [
      'a host mirror beats the default mirror',
      { ...hostMirror, ...defaultMirror },
      [],
      { uri: `https://gh-mirror.example${PATH}`, via: 'BP_DEPENDENCY_MIRROR_GITHUB_COM' },
    ],
    [
      'a mirror for another host does not apply; the default does',
      { BP_DEPENDENCY_MIRROR_PYPI_ORG: 'https://p.example', ...defaultMirror },
      [],
      { uri: `https://all-mirror.example/github.com${PATH}`, via: 'BP_DEPENDENCY_MIRROR' },
    ],
    ['the default mirror', defaultMirror, [], { uri: `https://all-mirror.example/github.com${PATH}`, via: 'BP_DEPENDENCY_MIRROR' }],
    ['an empty default mirror is none', { BP_DEPENDENCY_MIRROR: '' }, [], { uri: URI }],
    [
      'a file:// mirror',
      { BP_DEPENDENCY_MIRROR: 'file:///srv/mirror' },
      [],
      { uri: `file:///srv/mirror${PATH}`, via: 'BP_DEPENDENCY_MIRROR' },
    ],
  ])('%s', (_what, env, bindings, expected) => expect(downloadSource(URI, SHA, env, bindings)).toEqual(expected));

  test.each(['ftp://mirror.example', 'mirror.example.com', 'not a url', 's3://bucket/{originalHost}'])(
    'an invalid mirror %j is a BuildError with a title',
    (mirror) => {
      const err = buildErrorOf(() => downloadSource(URI, SHA, { BP_DEPENDENCY_MIRROR: mirror }, []));
      expect(err.title).toBe('Invalid BP_DEPENDENCY_MIRROR');
      expect(err.body).toContain(mirror);
    },
  );

  test('an invalid mirror is quoted without its credentials', () => {
    const err = buildErrorOf(() =>
      downloadSource(URI, SHA, { BP_DEPENDENCY_MIRROR: 'ftp://user:s3cret@mirror.example/?token=s3cret' }, []),
    );
    expect(err.body).toContain('ftp://***@mirror.example/?***');
    expect(err.body).not.toContain('s3cret');
  });

  test('an invalid host mirror names its own variable', () => {
    const err = buildErrorOf(() => downloadSource(URI, SHA, { BP_DEPENDENCY_MIRROR_GITHUB_COM: 'ftp://x' }, []));
    expect(err.title).toBe('Invalid BP_DEPENDENCY_MIRROR_GITHUB_COM');
  });

  test('an invalid mirror is not checked when a mapping applies', () => {
    expect(downloadSource(URI, SHA, { BP_DEPENDENCY_MIRROR: 'ftp://x' }, [mapping]).uri).toBe('https://internal.example/cpython.tgz');
  });

  test('two mapping bindings with the same key are a BuildError naming both', () => {
    const err = buildErrorOf(() =>
      downloadSource(URI, SHA, {}, [mapping, binding('more', 'dependency-mapping', { [SHA]: 'https://other.example/c.tgz' })]),
    );
    expect(err.title).toBe('Two dependency-mapping bindings map the same file');
    expect(err.body).toContain('deps');
    expect(err.body).toContain('more');
  });

  test('two mapping bindings with different keys are fine', () => {
    const other = binding('other', 'dependency-mapping', { [OTHER_SHA]: 'https://other.example/c.tgz' });
    expect(downloadSource(URI, SHA, {}, [mapping, other]).uri).toBe('https://internal.example/cpython.tgz');
  });
});
