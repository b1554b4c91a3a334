/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
 * `JSON.stringify` writes them. For JSON data this is the JSON Canonicalization Scheme (RFC 8785),
 * so two values that are equal as JSON always give the same text, whatever order their keys were
 * written in. Hashes of config, safety rules and approval requests are taken over this text.
 *
 * Values outside JSON follow `JSON.stringify`: `toJSON` is honoured, object members whose value is
 * `undefined`, a function or a symbol are left out (so `{a: undefined}` equals `{}`), the same in an
 * array becomes `null`, and a non-finite number becomes `null`. A cycle or a bigint throws a
 * `TypeError`, as `JSON.stringify` does: such a value is a programming error, never user data.
 */

export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

/** `undefined` when the value is not representable (the caller omits it or writes `null`). */
function write(value: unknown, ancestors: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify writes the shortest round-trip form, -0 as 0, and non-finite as null.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return writeObject(value, ancestors);
  }
}

function writeObject(value: object, ancestors: Set<object>): string | undefined {
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return write(toJson.call(value), ancestors);
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item: unknown) => write(item, ancestors) ?? 'null').join(',')}]`;
    }
    const members: string[] = [];
    // Default sort compares UTF-16 code units, as RFC 8785 asks (not locale order).
    for (const key of Object.keys(value).sort()) {
      const text = write((value as Record<string, unknown>)[key], ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
