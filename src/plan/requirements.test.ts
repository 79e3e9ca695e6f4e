import { normalizeName, parseRequirements } from './requirements.js';

test('names, includes, editable and local paths', () => {
  const info = parseRequirements(
    'reqs/base.txt',
    [
      '# comment',
      'Flask==2.2.2  # pinned',
      'gunicorn ; python_version >= "3.8"',
      'Django_Whitenoise>=6',
      '-r common.txt',
      '--requirement=../other.txt',
      '-c constraints.txt',
      '-rattached.txt',
      '-e .',
      '-e./libs/attached',
      '-e git+https://x/y.git#egg=y',
      './libs/local',
      'file:///abs/pkg',
      '--index-url https://example/simple',
      'requests \\',
      '  >=2',
      '--hash=sha256:abc',
    ].join('\n'),
  );
  expect(info.names).toEqual(['flask', 'gunicorn', 'django-whitenoise', 'requests']);
  expect(info.includes).toEqual(['reqs/common.txt', 'other.txt', 'reqs/constraints.txt', 'reqs/attached.txt']);
  expect(info.editablePaths).toEqual(['.', './libs/attached']);
  expect(info.localPaths).toEqual(['./libs/local', 'file:///abs/pkg']);
  expect(info.lines).toBe(15);
});

test.each([
  ['mod_wsgi', 'mod-wsgi'],
  ['uWSGI', 'uwsgi'],
  ['zope.interface', 'zope-interface'],
])('normalizeName(%s)', (a, b) => expect(normalizeName(a)).toBe(b));
