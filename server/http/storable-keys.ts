/**
 * MongoDB-protocol stores refuse some field names (FerretDB: empty, `$`-prefixed, dotted; MongoDB: `$`-prefixed
 * in places). Free-form JSON (node configs, event data) is checked up front so such input is a 400 naming the
 * field instead of a failed write.
 */
export function unstorableKey(value: unknown, path = ''): { path: string; message: string } | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = unstorableKey(value[i], `${path}/${i}`);
      if (bad) return bad;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '' || key.startsWith('$') || key.includes('.') || key.includes('\0')) {
        return { path: `${path}/${key}`, message: 'is not a storable field name (empty, starting with "$" or containing ".")' };
      }
      const bad = unstorableKey(v, `${path}/${key}`);
      if (bad) return bad;
    }
  }
  return undefined;
}
