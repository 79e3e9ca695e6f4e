import { buildErrorOf } from '../../test/support/build-errors.js';
import { pipBindingEnv, redactMalformedUrl } from './pip-binding.js';

const binding = (entries: Record<string, string>) => ({ name: 'private-index', path: '/b/p', type: 'pip', entries });

test.each([
  ['not a URL', 'http://[bad', 'http://[bad'],
  ['no scheme, credentials before the host', 'user:s3cret@pypi.example.com/simple', '***@pypi.example.com/simple'],
  ['another scheme', 'ftp://pypi.example.com/simple', 'ftp://pypi.example.com/simple'],
  ['a bad port and a token', 'https://:tok3n@host:99999/simple/?k=s3cret', 'https://***@host:99999/simple/?***'],
])('a malformed index-url (%s) is a titled error that shows no secret', (_name, value, shown) => {
  const err = buildErrorOf(() => pipBindingEnv([binding({ 'index-url': value, password: 'pw' })]));
  expect(err.title).toBe('Invalid index-url in the pip binding private-index');
  expect(err.body).toContain(`\n  ${shown}\nwhich is not an http:// or https:// URL.`);
  expect(err.body).not.toMatch(/s3cret|tok3n/);
});

test.each([
  ['user:pw@host/x?q=1', '***@host/x?***'],
  ['https://u:p@h/x', 'https://***@h/x'],
  ['plain', 'plain'],
])('redactMalformedUrl(%j)', (text, expected) => expect(redactMalformedUrl(text)).toBe(expected));
