import { failureText } from '../../output/messages.js';
import { parseHashMismatches } from './hash-mismatch.js';

// pip 23.0.1's output for a requirements file with wrong hashes for flask
const PIP_OUTPUT = `Looking in indexes: http://127.0.0.1:18771/wheelhouse/simple/
Collecting flask==2.2.2
  Downloading http://127.0.0.1:18771/wheelhouse/Flask-2.2.2-py3-none-any.whl (100 kB)
ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.
    flask==2.2.2 from http://127.0.0.1:18771/wheelhouse/Flask-2.2.2-py3-none-any.whl#sha256=522f1483cf0a60853a7faa1486d9d6d58b38b709e74c8776d24cd6a1883df470 (from -r req.txt (line 1)):
        Expected sha256 ${'0'.repeat(64)}
        Expected     or ${'1'.repeat(64)}
             Got        522f1483cf0a60853a7faa1486d9d6d58b38b709e74c8776d24cd6a1883df470
    waitress==2.1.2 from http://127.0.0.1:18771/wheelhouse/waitress-2.1.2-py3-none-any.whl (from -r req.txt (line 3)):
        Expected sha256 ${'2'.repeat(64)}
             Got        ${'3'.repeat(64)}

`;

test("pip's hash mismatches: the package, the lock's hashes and the downloaded file's", () => {
  expect(parseHashMismatches(PIP_OUTPUT)).toEqual([
    {
      requirement: 'flask==2.2.2',
      algorithm: 'sha256',
      expected: ['0'.repeat(64), '1'.repeat(64)],
      got: '522f1483cf0a60853a7faa1486d9d6d58b38b709e74c8776d24cd6a1883df470',
    },
    { requirement: 'waitress==2.1.2', algorithm: 'sha256', expected: ['2'.repeat(64)], got: '3'.repeat(64) },
  ]);
  expect(parseHashMismatches('ERROR: No matching distribution found for flask')).toEqual([]);
});

test('the titled error names the package and both hashes', () => {
  const [flask] = parseHashMismatches(PIP_OUTPUT);
  const error = failureText({ kind: 'lock-hash-mismatch', file: 'uv.lock', mismatches: [flask as NonNullable<typeof flask>] });
  expect(error.title).toBe('flask==2.2.2 does not match the hash in uv.lock');
  expect(error.body).toContain(`uv.lock allows sha256 ${'0'.repeat(64)}`);
  expect(error.body).toContain('the index served 522f1483cf0a60853a7faa1486d9d6d58b38b709e74c8776d24cd6a1883df470');
});
