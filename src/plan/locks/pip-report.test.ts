import { installedHashes } from './pip-report.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

test("the sha256 of each installed file, from pip's installation report", () => {
  const report = {
    version: '1',
    install: [
      {
        download_info: {
          url: 'http://127.0.0.1/Flask-2.2.2-py3-none-any.whl',
          archive_info: { hash: `sha256=${A}`, hashes: { sha256: A } },
        },
        metadata: { name: 'Flask', version: '2.2.2' },
      },
      {
        download_info: { url: 'http://127.0.0.1/zope.interface-5.5.2.whl', archive_info: { hash: `sha256=${B}` } },
        metadata: { name: 'zope.interface', version: '5.5.2' },
      },
      { download_info: { url: 'file:///workspace', dir_info: {} }, metadata: { name: 'app', version: '1.0' } },
      {
        download_info: { url: 'http://127.0.0.1/x.whl', archive_info: { hash: `md5=${'c'.repeat(32)}` } },
        metadata: { name: 'x', version: '1' },
      },
    ],
  };
  expect(installedHashes(JSON.stringify(report))).toEqual({ flask: A, 'zope-interface': B });
  expect(installedHashes('not json')).toEqual({});
  expect(installedHashes('{}')).toEqual({});
});
