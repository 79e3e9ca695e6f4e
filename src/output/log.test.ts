import { createLog, formatArgv, formatBytes, formatDuration } from './log.js';

describe('formatArgv', () => {
  test.each<[string[], string]>([
    [['python', '-m', 'pip', 'install', '-r', 'requirements.txt'], 'python -m pip install -r requirements.txt'],
    [['/layers/pywarp_python/python/bin/python3', '--version'], '/layers/pywarp_python/python/bin/python3 --version'],
    [['pip', 'install', 'gunicorn==23.0.0', 'a@b', 'x+y', 'k=v', 'a:b,c', '50%'], 'pip install gunicorn==23.0.0 a@b x+y k=v a:b,c 50%'],
    [['echo', 'hello world'], "echo 'hello world'"],
    [['echo', ''], "echo ''"],
    [['echo', "it's"], "echo 'it'\\''s'"],
    [['sh', '-c', 'echo $HOME && ls *'], "sh -c 'echo $HOME && ls *'"],
    [['echo', 'a"b'], `echo 'a"b'`],
    [['echo', 'tab\there'], "echo 'tab\there'"],
    [['echo', 'new\nline'], "echo 'new\nline'"],
    [['echo', '~', '!x', '(y)', ';', '|'], "echo '~' '!x' '(y)' ';' '|'"],
    [[], ''],
  ])('%j → %s', (argv, expected) => expect(formatArgv(argv)).toBe(expected));
});

describe('formatDuration', () => {
  test.each<[number, string]>([
    [0, '0ms'],
    [1, '1ms'],
    [12.4, '12ms'],
    [999, '999ms'],
    [999.4, '999ms'],
    [999.6, '1.0s'],
    [1000, '1.0s'],
    [1049, '1.0s'],
    [1050, '1.1s'],
    [12_345, '12.3s'],
    [125_000, '125.0s'],
  ])('%d ms → %s', (ms, expected) => expect(formatDuration(ms)).toBe(expected));
});

describe('formatBytes', () => {
  test.each<[number, string]>([
    [0, '0 KiB'],
    [1024, '1 KiB'],
    [1536, '2 KiB'],
    [500 * 1024, '500 KiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [1024 * 1024, '1.0 MiB'],
    [1.25 * 1024 * 1024, '1.3 MiB'],
    [31.4 * 1024 * 1024, '31.4 MiB'],
    [2048 * 1024 * 1024, '2048.0 MiB'],
  ])('%d → %s', (bytes, expected) => expect(formatBytes(bytes)).toBe(expected));
});

describe('createLog', () => {
  const capture = () => {
    const out: string[] = [];
    return { out, log: createLog((t) => out.push(t)) };
  };

  test.each<[string, (l: ReturnType<typeof createLog>) => void, string]>([
    ['header', (l) => l.header('Installing Python'), '\n[Installing Python]\n'],
    ['info', (l) => l.info('Using Python 3.12.7.'), 'Using Python 3.12.7.\n'],
    [
      'warning',
      (l) => l.warning('Old Python', 'Python 3.9 is end-of-life.\n\n'),
      '\n[Warning: Old Python]\nPython 3.9 is end-of-life.\n\n',
    ],
    [
      'error',
      (l) => l.error('Download failed', 'HTTP 404\nCheck the mirror.\n'),
      '\n[Error: Download failed]\nHTTP 404\nCheck the mirror.\n',
    ],
    ['command', (l) => l.command(['pip', 'install', 'a b']), "Running 'pip install 'a b''\n"],
  ])('%s', (_what, write, expected) => {
    const { out, log } = capture();
    write(log);
    expect(out).toEqual([expected]);
  });

  test('a build log reads as blocks', () => {
    const { out, log } = capture();
    log.header('Installing Python');
    log.info('Downloading Python 3.12.7.');
    log.command(['tar', '-xzf', 'x.tgz']);
    log.warning('Slow mirror', 'It took 30s.');
    log.error('Failed', 'Boom.');
    expect(out.join('')).toBe(
      "\n[Installing Python]\nDownloading Python 3.12.7.\nRunning 'tar -xzf x.tgz'\n\n[Warning: Slow mirror]\nIt took 30s.\n\n\n[Error: Failed]\nBoom.\n",
    );
  });
});

test('every step closes with its duration, and the build with its total', () => {
  let now = 0;
  const out: string[] = [];
  const log = createLog((t) => out.push(t), { now: () => now });
  log.header('One');
  now = 1500;
  log.info('a decision');
  log.header('Two');
  now = 1800;
  log.finish();
  expect(out.join('')).toBe('\n[One]\na decision\nDone in 1.5s.\n\n[Two]\nDone in 300ms.\n\nBuild completed in 1.8s.\n');
});
