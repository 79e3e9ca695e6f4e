import { parseExecDOutput } from './exec-d.js';

test('string values are returned', () => {
  expect(parseExecDOutput('A = "1"\nB_2 = "two words"\n', 'x')).toEqual({ A: '1', B_2: 'two words' });
});

test('empty output sets nothing', () => {
  expect(parseExecDOutput('', 'x')).toEqual({});
});

test.each([
  ['a number', 'A = 1'],
  ['a table', '[A]\nb = "c"'],
  ['an invalid name', '"1A" = "x"'],
  ['not TOML', 'A=1=2'],
])('%s is rejected', (_, text) => {
  expect(() => parseExecDOutput(text, 'exec.d/prog')).toThrow(/exec\.d\/prog/);
});
