import { exportAction, planRestore, restoreSource } from './layer-rules.js';

const types = (build: boolean, cache: boolean, launch: boolean) => ({ build, cache, launch });

// The spec's table (§4.4), one row per type combination.
test.each([
  [true, true, true, 'cache'],
  [true, true, false, 'cache'],
  [true, false, true, 'none'],
  [true, false, false, 'none'],
  [false, true, true, 'cache'],
  [false, true, false, 'cache'],
  [false, false, true, 'image-metadata'],
  [false, false, false, 'none'],
])('build=%s cache=%s launch=%s restores from %s', (build, cache, launch, expected) => {
  expect(restoreSource(types(build, cache, launch))).toBe(expected);
});

test('cached layers come from the cache only, launch-only metadata from the image', () => {
  const image = [
    { name: 'cpython', types: types(true, true, true) },
    { name: 'gone-from-cache', types: types(false, true, false) },
    { name: 'launch-only', types: types(false, false, true) },
    { name: 'build-only', types: types(true, false, false) },
  ];
  const cache = [
    { name: 'cpython', types: types(true, true, true) },
    { name: 'pip-cache', types: types(false, true, false) },
  ];
  expect(planRestore(image, cache)).toEqual([
    { name: 'cpython', source: 'cache' },
    { name: 'launch-only', source: 'image-metadata' },
    { name: 'pip-cache', source: 'cache' },
  ]);
});

test.each([
  [types(false, false, false), true, 'ignore'],
  [types(false, false, false), false, 'ignore'],
  [types(false, false, true), false, 'reuse'],
  [types(true, true, true), false, 'reuse'],
  [types(false, false, true), true, 'keep'],
  [types(true, false, false), false, 'keep'],
  [types(false, true, false), true, 'keep'],
])('types %j, directory present: %s → %s', (layerTypes, hasDir, expected) => {
  expect(exportAction(layerTypes, hasDir)).toBe(expected);
});
