import { parseProcfile } from './procfile.js';

test('type: command lines, comments and blank lines skipped, CRLF too', () => {
  const { types, problems } = parseProcfile('# processes\r\nweb: gunicorn app:app\r\n\r\nworker:python w.py\n');
  expect([Object.fromEntries(types), problems]).toEqual([{ web: 'gunicorn app:app', worker: 'python w.py' }, []]);
});

test.each([
  ['no colon', 'web gunicorn app:app\n', { line: 1, why: 'syntax' }],
  ['no command', 'web:\n', { line: 1, why: 'syntax' }],
  ['a type with other characters', 'wéb: x\n', { line: 1, why: 'type', type: 'wéb' }],
  ['"." as the type', '.: python x.py\n', { line: 1, why: 'dots', type: '.' }],
  ['".." as the type', '# c\n..: python x.py\n', { line: 2, why: 'dots', type: '..' }],
  ['a NUL in the command', 'web: python\0 app.py\n', { line: 1, why: 'nul', type: 'web' }],
  ['web defined twice', 'web: a\nworker: b\nweb: c\n', { line: 3, why: 'duplicate', type: 'web', first: 1 }],
])('%s is a problem naming its line', (_name, text, problem) => {
  expect(parseProcfile(text).problems).toEqual([expect.objectContaining(problem)]);
});

test('lines that are not UTF-8 are problems, whatever they say', () => {
  const { types, problems } = parseProcfile('web: a\nworker: caf\uFFFD\n', [2]);
  expect([[...types.keys()], problems]).toEqual([['web'], [{ line: 2, text: 'worker: caf\uFFFD', why: 'not-utf8' }]]);
});

test('"..." and ".web" are valid types (only "." and ".." cannot name a file)', () => {
  expect([...parseProcfile('...: a\n.web: b\n').types.keys()]).toEqual(['...', '.web']);
});
