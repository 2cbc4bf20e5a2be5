import { describe, expect, it } from 'vitest';
import { commandForPort, showCommand, splitShellWords, validateApp } from './app-spec.ts';

describe('splitShellWords', () => {
  it('splits on blanks and keeps quoted words whole, without expansion', () => {
    expect(splitShellWords(`python3  app.py --name 'a b' "c \\"d\\"" e\\ f $HOME`).words).toEqual([
      'python3',
      'app.py',
      '--name',
      'a b',
      'c "d"',
      'e f',
      '$HOME',
    ]);
    expect(splitShellWords(`x '' y`).words).toEqual(['x', '', 'y']);
  });

  it('reports an unterminated quote', () => {
    expect(splitShellWords(`python3 'app.py`).problem).toMatch(/unterminated single quote/);
    expect(splitShellWords(`python3 "app.py`).problem).toMatch(/unterminated double quote/);
  });
});

describe('validateApp', () => {
  it('reads the flags into a spec with defaults', () => {
    const { spec, problems } = validateApp(
      {
        command: 'python3 app.py --port {port}',
        readinessPath: '/healthz',
        request: 'post /orders',
        body: '{"x":1}',
        env: ['A=1', 'B=x=y'],
      },
      'flags',
    );
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      command: ['python3', 'app.py', '--port', '{port}'],
      readinessPath: '/healthz',
      request: { method: 'POST', path: '/orders', body: '{"x":1}' },
      env: { A: '1', B: 'x=y' },
      shutdownBoundSeconds: 35,
      readyTimeoutSeconds: 20,
    });
  });

  it('a lone path is a GET, and no request at all is GET /', () => {
    expect(validateApp({ command: 'x', request: '/items' }, 'flags').spec?.request).toEqual({
      method: 'GET',
      path: '/items',
    });
    expect(validateApp({ command: 'x' }, 'flags').spec?.request).toEqual({ method: 'GET', path: '/' });
  });

  it('reports every problem of the flags at once, each naming the flag', () => {
    const { spec, problems } = validateApp(
      {
        command: "python3 'app.py",
        readinessPath: 'healthz',
        request: 'PUT /orders',
        env: ['PORT=1', 'no-equals', '1X=2'],
        shutdownBoundSeconds: 'soon',
        readyTimeoutSeconds: '0',
      },
      'flags',
    );
    expect(spec).toBeUndefined();
    expect(problems).toEqual([
      expect.stringMatching(/^--app-command has an unterminated single quote/),
      expect.stringMatching(/^--app-ready must be a path starting with \//),
      expect.stringMatching(/^--app-request: method "PUT" is not supported/),
      expect.stringMatching(/^--app-env: PORT is set by drainlab/),
      expect.stringMatching(/^--app-env must be NAME=VALUE, got "no-equals"/),
      expect.stringMatching(/^--app-env: "1X" is not an environment variable name/),
      expect.stringMatching(/^--app-shutdown-bound must be a number of seconds from 1 to 600, got "soon"/),
      expect.stringMatching(/^--app-ready-timeout must be a number of seconds from 1 to 600, got "0"/),
    ]);
  });

  it('names file paths for the app: section, and wants a command', () => {
    const { problems } = validateApp(
      { request: { method: 'GET', path: 'orders', body: '{}', extra: 1 }, env: { A: 1 } },
      'file',
    );
    expect(problems).toEqual([
      expect.stringMatching(/^app\.command is required/),
      'app.request.extra: unknown field; expected one of method, path, body',
      expect.stringMatching(/^app\.request: path must start with \/, got "orders"/),
      expect.stringMatching(/^app\.request\.body is given but the request is a GET/),
      'app.env.A: the value of A must be a string, got 1',
    ]);
  });

  it('takes a command as a list of words', () => {
    expect(validateApp({ command: ['sh', '-c', 'exec app'] }, 'file').spec?.command).toEqual(['sh', '-c', 'exec app']);
    expect(validateApp({ command: [] }, 'file').problems).toEqual([
      'app.command must be a command line or a list of words, got []',
    ]);
  });
});

describe('the command line', () => {
  it('puts the port in every {port}', () => {
    expect(commandForPort(['app', '--port={port}', '{port}'], 8123)).toEqual(['app', '--port=8123', '8123']);
  });

  it('is shown as a shell would take it back', () => {
    const words = ['python3', 'my app.py', "it's", '--port', '{port}'];
    const shown = showCommand(words);
    expect(shown).toBe(`python3 'my app.py' 'it'\\''s' --port {port}`);
    expect(splitShellWords(shown).words).toEqual(words);
  });
});
