import { printable, quote } from "./text.js";

/** What a command prints and the exit code it ends with. */
export interface Result {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** Success: `stdout` printed, exit code 0. */
export const ok = (stdout: string): Result => ({ code: 0, stdout, stderr: "" });

/** Bad usage or unreadable input: one line on stderr, exit code 2, never a stack trace. */
export const usage = (message: string): Result => ({
  code: 2,
  stdout: "",
  stderr: `wirefault: ${printable(message)}\n`,
});

/** What the command line gave: options by name, bare flags, and the positional arguments. */
export interface Args {
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** Which options a command takes: `values` take an argument; `aliases` map a short form to its long one. */
export interface ArgSpec {
  readonly flags?: readonly string[];
  readonly values?: readonly string[];
  readonly aliases?: Readonly<Record<string, string>>;
}

/**
 * Reads `--name value`, `--name=value`, short aliases and `--` (everything after it is positional).
 * Returns the problem as a message instead of throwing.
 */
export function readArgs(args: readonly string[], spec: ArgSpec): Args | string {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    // "-" alone names stdin, as in most tools; anything else with a dash is an option.
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const given = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    const name = spec.aliases && Object.hasOwn(spec.aliases, given) ? (spec.aliases[given] as string) : given;
    if (spec.flags?.includes(name) && eq < 0) flags.add(name);
    else if (spec.values?.includes(name)) {
      const value = eq > 0 && given !== arg ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) return `${name} needs a value`;
      if (values.has(name)) return `${name} given twice`;
      values.set(name, value);
    } else return `unknown option ${quote(arg)}`;
  }
  return { values, flags, positionals };
}
