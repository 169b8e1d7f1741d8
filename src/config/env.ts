// `${NAME}` and `${NAME:-default}` inside string values; `$${` stands for a literal `${`.

export type Interpolation =
  /** `fromEnv`: the values taken from the environment (not fallbacks), which may be secrets. */
  | { readonly ok: true; readonly text: string; readonly changed: boolean; readonly fromEnv: readonly string[] }
  | { readonly ok: false; readonly problem: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function interpolateEnv(text: string, env: Readonly<Record<string, string | undefined>>): Interpolation {
  if (!text.includes('${')) return { ok: true, text, changed: false, fromEnv: [] };
  let out = '';
  const fromEnv: string[] = [];
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf('${', index);
    if (start === -1) {
      out += text.slice(index);
      break;
    }
    if (start > 0 && text[start - 1] === '$') {
      out += text.slice(index, start - 1) + '${';
      index = start + 2;
      continue;
    }
    out += text.slice(index, start);
    const end = text.indexOf('}', start + 2);
    if (end === -1) {
      return { ok: false, problem: `expected "}" to close "\${" at character ${start + 1}, got the end of the text` };
    }
    const inner = text.slice(start + 2, end);
    const separator = inner.indexOf(':-');
    const name = separator === -1 ? inner : inner.slice(0, separator);
    if (!NAME.test(name)) {
      return { ok: false, problem: `expected an environment variable name like \${API_TOKEN}, got "\${${inner}}"` };
    }
    const value = env[name];
    if (value !== undefined && value !== '') {
      out += value;
      fromEnv.push(value);
    }
    else if (separator !== -1) out += inner.slice(separator + 2);
    else if (value === '') out += value;
    else {
      return {
        ok: false,
        problem: `expected environment variable ${name} to be set, it is not (write \${${name}:-default} for a default)`,
      };
    }
    index = end + 1;
  }
  return { ok: true, text: out, changed: true, fromEnv };
}
