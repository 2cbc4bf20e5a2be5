/** Programs that are shells: `sh -c "<script>"` runs the script in one of these. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** Init programs that may stand in front of a shell (they pass signals to their child, not through the shell). */
const INITS = new Set(['tini', 'dumb-init', 'catatonit']);

/** The last path segment: `/bin/sh` → `sh`. */
export const basename = (program: string): string => program.slice(program.lastIndexOf('/') + 1);

/** Whether a program name is a shell (`sh`, `/bin/bash`, ...). */
export const isShell = (program: string | undefined): boolean => program !== undefined && SHELLS.has(basename(program));

/** A container entrypoint of the form `[init ...] sh -c "<script>"`. */
export interface ShellEntrypoint {
  /** The shell's name as written (`sh`, `/bin/bash`). */
  shell: string;
  /** The script after `-c`. */
  script: string;
  /** Which list holds the script. */
  field: 'command' | 'args';
  /** Index of the script in that list. */
  index: number;
}

/**
 * The `sh -c` script a container runs, looking at command followed by args as the runtime joins them. With no
 * command, args alone count only when they start with a shell (the image's ENTRYPOINT is unknown here).
 */
export function shellEntrypoint(
  command: string[] | undefined,
  args: string[] | undefined,
): ShellEntrypoint | undefined {
  const argv = [...(command ?? []), ...(args ?? [])];
  if (command === undefined && !isShell(args?.[0])) return undefined;
  let i = 0;
  if (INITS.has(basename(argv[0] ?? ''))) {
    i = 1;
    while (argv[i]?.startsWith('-')) i++; // the init's own options and its `--`
  }
  if (!isShell(argv[i])) return undefined;
  const shell = argv[i]!;
  // Options up to the one holding `c` (-c, -ec, -lc, -xc); the script is the first argument after them.
  for (let j = i + 1; j < argv.length; j++) {
    const option = argv[j]!;
    if (!/^-[a-z]+$/.test(option)) return undefined;
    if (option.includes('c')) {
      const at = j + 1;
      if (at >= argv.length) return undefined;
      const inCommand = command !== undefined && at < command.length;
      return {
        shell,
        script: argv[at]!,
        field: inCommand ? 'command' : 'args',
        index: inCommand ? at : at - (command?.length ?? 0),
      };
    }
  }
  return undefined;
}

/** What a script does at its end, for signal delivery. */
export interface ScriptEnd {
  /** Simple commands in the script (split at newlines, `;`, `&&`, `||`, `&`). */
  commands: number;
  /** The last command as written. */
  last: string;
  /** Offset of the last command in the script. */
  lastAt: number;
  /** The last command starts with `exec` (after variable assignments): the app replaces the shell. */
  execs: boolean;
  /** The script traps TERM: it forwards the signal itself. */
  trapsTerm: boolean;
}

/**
 * How a shell script ends. A small scanner, not a shell parser: it splits at command separators outside quotes and
 * skips comment lines, which covers the one-liners and short scripts written into manifests.
 */
export function scriptEnd(script: string): ScriptEnd {
  const commands = splitCommands(script);
  const last = commands.at(-1) ?? { text: '', at: 0 };
  const words = last.text.split(/\s+/).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  return {
    commands: commands.length,
    last: last.text,
    lastAt: last.at,
    execs: words[0] === 'exec',
    trapsTerm: /(^|[\s;])trap\s[^\n]*\b(SIG)?TERM\b|(^|[\s;])trap\s[^\n]*\s15\b/m.test(script),
  };
}

/**
 * The script with `exec` in front of its last command (with `exec env` when the command starts with variable
 * assignments, which `exec` alone would not pass on), so that the app replaces the shell as PID 1.
 */
export function withExec(script: string): string {
  const end = scriptEnd(script);
  const assigns = /^[A-Za-z_][A-Za-z0-9_]*=/.test(end.last);
  return `${script.slice(0, end.lastAt)}${assigns ? 'exec env ' : 'exec '}${script.slice(end.lastAt)}`;
}

/** The simple commands of a script with their offsets, outside quotes and comments. */
function splitCommands(script: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let start = 0;
  let quote: string | undefined;
  const push = (end: number) => {
    const raw = script.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '' && !text.startsWith('#')) out.push({ text, at: start + lead });
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote !== undefined) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '\\') {
      i++; // an escaped character, also a line continuation
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(script[i - 1]!))) {
      // A comment runs to the end of the line.
      push(i);
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl;
      start = i + 1;
    } else if (ch === '\n' || ch === ';' || ch === '&' || (ch === '|' && script[i + 1] === '|')) {
      push(i);
      if ((ch === '&' && script[i + 1] === '&') || ch === '|') i++;
      start = i + 1;
    }
  }
  push(script.length);
  return out;
}
