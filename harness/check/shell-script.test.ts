import { describe, expect, it } from 'vitest';
import { scriptEnd, shellEntrypoint, withExec } from './shell-script.ts';

describe('shellEntrypoint', () => {
  it('finds the script in command, in args, after options and after an init', () => {
    expect(shellEntrypoint(['sh', '-c', 'node a'], undefined)).toEqual({
      shell: 'sh',
      script: 'node a',
      field: 'command',
      index: 2,
    });
    expect(shellEntrypoint(['/bin/bash', '-ec'], ['node a'])).toMatchObject({ field: 'args', index: 0 });
    expect(shellEntrypoint(['/bin/sh'], ['-c', 'node a'])).toMatchObject({ field: 'args', index: 1 });
    expect(shellEntrypoint(undefined, ['sh', '-c', 'node a'])).toMatchObject({ field: 'args', index: 2 });
    expect(shellEntrypoint(['tini', '-s', '--', 'sh', '-lc', 'node a'], undefined)).toMatchObject({
      shell: 'sh',
      index: 5,
    });
  });

  it('is undefined without a shell, without -c, or with args alone that do not start with a shell', () => {
    expect(shellEntrypoint(['node', 'server.js'], undefined)).toBeUndefined();
    expect(shellEntrypoint(['sh', 'script.sh'], undefined)).toBeUndefined();
    expect(shellEntrypoint(['sh', '-c'], undefined)).toBeUndefined();
    expect(shellEntrypoint(undefined, ['--port', '80'])).toBeUndefined();
    expect(shellEntrypoint(['tini', '--', 'node', 'a'], undefined)).toBeUndefined();
  });
});

describe('scriptEnd', () => {
  it('splits at separators outside quotes and skips comments', () => {
    const end = scriptEnd('set -e # strict\ncd /app && echo "a; b" || true; node server.js --x \'1;2\'');
    expect(end.commands).toBe(5);
    expect(end.last).toBe("node server.js --x '1;2'");
    expect(end.execs).toBe(false);
  });

  it('sees exec after variable assignments, and a TERM trap', () => {
    expect(scriptEnd('cd /app; FOO=1 exec node a').execs).toBe(true);
    expect(scriptEnd('exec "$@"').execs).toBe(true);
    expect(scriptEnd("trap 'kill $p' TERM INT; node a & p=$!; wait").trapsTerm).toBe(true);
    expect(scriptEnd('trap "kill $p" SIGTERM\nwait').trapsTerm).toBe(true);
    expect(scriptEnd('trap cleanup EXIT; node a').trapsTerm).toBe(false);
    expect(scriptEnd('  # only a comment\n').commands).toBe(0);
  });
});

describe('withExec', () => {
  it('puts exec in front of the last command, exec env before assignments', () => {
    expect(withExec('cd /app && node server.js')).toBe('cd /app && exec node server.js');
    expect(withExec('node server.js\n')).toBe('exec node server.js\n');
    expect(withExec('cd /a; PORT=80 node s')).toBe('cd /a; exec env PORT=80 node s');
    expect(scriptEnd(withExec('a; b')).execs).toBe(true);
  });
});
