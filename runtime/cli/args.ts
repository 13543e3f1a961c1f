// Command-line arguments through Node's `util.parseArgs` (strict: an unknown option or an option
// without its value is an error), with its multi-line messages turned into one line each.

import { parseArgs } from 'node:util';

export type OptionSpec = { readonly type: 'string'; readonly short?: string } | { readonly type: 'boolean'; readonly short?: string };

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/** The options and positionals of `args`, or a one-line message saying what is wrong. */
export function parseCommandArgs(args: readonly string[], options: Readonly<Record<string, OptionSpec>>): ParsedArgs | string {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: { ...options }, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    const message = e instanceof Error ? e.message : String(e);
    const option = /'(-[^' <,]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/does not take an argument/.test(message)) return `${option} takes no value`;
      return `${option} needs a value${/ambiguous/.test(message) ? ' (to give one starting with -, write ' + option + '=VALUE)' : ''}`;
    }
    // Any other parse error still deserves its own first line rather than a crash.
    return message.split('\n')[0] ?? message;
  }
}
