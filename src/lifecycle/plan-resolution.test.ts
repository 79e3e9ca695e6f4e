import { resolvePlan } from './plan-resolution.js';

const req = (name: string, metadata?: Record<string, unknown>) => (metadata ? { name, metadata } : { name });

test('an empty plan resolves to an empty buildpack plan', () => {
  expect(resolvePlan({ provides: [], requires: [] })).toEqual({ entries: [] });
});

test('the top-level alternative wins when it resolves, requires kept in order with duplicates', () => {
  const plan = {
    provides: [{ name: 'cpython' }],
    requires: [req('cpython', { version: '3.12' }), req('cpython')],
    or: [{ provides: [], requires: [] }],
  };
  expect(resolvePlan(plan)).toEqual({
    entries: [
      { name: 'cpython', metadata: { version: '3.12' } },
      { name: 'cpython', metadata: {} },
    ],
  });
});

test.each([
  ['a provide nobody requires', { provides: [{ name: 'a' }], requires: [] }],
  ['a require nobody provides', { provides: [], requires: [req('a')] }],
  ['mismatched names', { provides: [{ name: 'a' }], requires: [req('b')] }],
])('%s fails on its own', (_, alternative) => {
  expect(resolvePlan(alternative)).toBeUndefined();
});

test('the first [[or]] alternative that resolves is chosen', () => {
  const plan = {
    provides: [{ name: 'a' }],
    requires: [],
    or: [
      { provides: [], requires: [req('b')] },
      { provides: [{ name: 'c' }], requires: [req('c', { from: 'or' })] },
      { provides: [], requires: [] },
    ],
  };
  expect(resolvePlan(plan)).toEqual({ entries: [{ name: 'c', metadata: { from: 'or' } }] });
});
