import { classifyPipFailure, tail } from './pip-failure.js';

// Real pip 23.0.1 output, captured against the fixture index.
const OUT = {
  unknown:
    'Looking in indexes: http://127.0.0.1:18765/simple/\nERROR: Could not find a version that satisfies the requirement nosuchpkg (from versions: none)\nERROR: No matching distribution found for nosuchpkg\n',
  noVersion:
    'ERROR: Could not find a version that satisfies the requirement flask==99.0 (from versions: 2.2.2)\nERROR: No matching distribution found for flask==99.0\n',
  down: "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7f5d7cd75b10>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/flask/\nERROR: Could not find a version that satisfies the requirement flask (from versions: none)\nERROR: No matching distribution found for flask\n",
  invalid: "ERROR: Invalid requirement: 'this is not valid!' (from line 2 of r5.txt)\n",
  conflict:
    'ERROR: Cannot install flask<2.2 and flask==2.2.2 because these package versions have conflicting dependencies.\n\nThe conflict is caused by:\n    The user requested flask==2.2.2\n    The user requested flask<2.2\n\nTo fix this you could try to:\n1. loosen the range\n\nERROR: ResolutionImpossible: for help visit https://pip.pypa.io/\n',
  build:
    '  note: This error originates from a subprocess, and is likely not a problem with pip.\nerror: metadata-generation-failed\n\n× Encountered error while generating package metadata.\n',
  hashes: 'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.\n',
  // the fixture server dropped the connection 4 KiB into Werkzeug's wheel; the app pinned no hash
  cutShort:
    'Collecting Werkzeug>=2.2.2\n  Downloading http://127.0.0.1:35037/wheelhouse/Werkzeug-2.2.2-py3-none-any.whl (318 kB)\nERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.\n    Werkzeug>=2.2.2 from http://127.0.0.1:35037/wheelhouse/Werkzeug-2.2.2-py3-none-any.whl#sha256=8b4dbda7395ef95ac42762ab871810802bd5b3cba07470b397e0cfafcdc0f110 (from flask->-r requirements.txt (line 1)):\n        Expected sha256 8b4dbda7395ef95ac42762ab871810802bd5b3cba07470b397e0cfafcdc0f110\n             Got        550f93a57097eb4dc9d395ad991f255ca70132b1111b4f1bca7f3f81b088177c\n\n',
};

test.each([
  ['unknown', { kind: 'unknown-package', requirement: 'nosuchpkg' }],
  ['noVersion', { kind: 'no-matching-version', requirement: 'flask==99.0', versions: '2.2.2' }],
  ['down', { kind: 'index-unreachable' }],
  ['invalid', { kind: 'invalid-requirement', line: 'this is not valid!', from: 'line 2 of r5.txt' }],
  ['conflict', { kind: 'conflict', detail: expect.stringContaining('The user requested flask<2.2') }],
  ['build', { kind: 'build-failed' }],
  ['hashes', { kind: 'hash-mismatch' }],
  [
    'cutShort',
    { kind: 'index-unreachable', detail: expect.stringContaining('Werkzeug-2.2.2-py3-none-any.whl arrived incomplete or damaged') },
  ],
] as const)('%s', (name, expected) => expect(classifyPipFailure(OUT[name])).toMatchObject(expected));

test('anything else', () => expect(classifyPipFailure('Segmentation fault')).toEqual({ kind: 'other' }));
test('tail keeps the last lines', () => expect(tail('a\nb\nc\n', 2)).toBe('b\nc'));
