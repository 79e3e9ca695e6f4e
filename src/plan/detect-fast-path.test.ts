import { detectFastPathSh, shQuote } from './detect-fast-path.js';
import { DETECT_PLAN, PYTHON_PROJECT_MARKERS } from './detect.js';

test.each([
  ['plain', "'plain'"],
  ['', "''"],
  ["it's", "'it'\\''s'"],
  ['$HOME `x` "y" \\n', '\'$HOME `x` "y" \\n\''],
])('shQuote(%j)', (text, quoted) => expect(shQuote(text)).toBe(quoted));

test('the sh fast path checks every marker by name, once, and writes the Node detect plan', () => {
  const sh = detectFastPathSh();
  for (const marker of PYTHON_PROJECT_MARKERS.filter((m) => !m.includes('*'))) {
    expect(sh.split(`\n      ${shQuote(marker.replace(/\/$/, ''))}) `)).toHaveLength(2);
  }
  // a wildcard marker: the names it must not match first, then the glob
  expect(sh).toContain(`\n      'pylock.''.toml'|'pylock.'*.*'.toml') ;;\n      'pylock.'*'.toml') pywarp_m14=1 ;;\n`);
  expect(sh).toContain(`printf '%s' ${shQuote(DETECT_PLAN)} 2>/dev/null >"$pywarp_plan"`);
});
