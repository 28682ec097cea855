// The size of a decoded object as JSON text: an object handed over already decoded
// skipped the cap on bytes, so its JSON is held to the same cap, counted
// without building the text.

/**
 * The size of a decoded object as JSON text, in UTF-8 bytes, when it is over
 * `max`; else undefined. Stops as soon as it is over: linear in what it reads,
 * never more than the cap. A property that cannot be read (a throwing getter,
 * a trap) counts nothing: the readers will not read it either.
 */
export function jsonSizeOver(value: object, max: number): number | undefined {
  let size = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === "string") size += jsonStringSize(item, max - size);
    // Bytes count as themselves; their indices are not keys worth listing.
    else if (ArrayBuffer.isView(item)) size += item.byteLength;
    else if (typeof item === "object" && item !== null && depth < 64) {
      try {
        // Each entry costs at least a separator, so a million empty maps is over the cap too.
        if (Array.isArray(item)) {
          size += 2 + item.length;
          if (size > max) return size;
          for (const child of item) stack.push([child, depth + 1]);
        } else
          for (const key of Object.keys(item)) {
            size += jsonStringSize(key, max - size) + 2;
            if (size > max) return size;
            stack.push([(item as Record<string, unknown>)[key], depth + 1]);
          }
      } catch {
        // Unreadable: left to the readers, which read field by field.
      }
    } else size += 4;
    if (size > max) return size;
  }
  return undefined;
}

/** A string's size as JSON text, exact only when it might reach `left`: most are decided by length. */
function jsonStringSize(text: string, left: number): number {
  if (text.length * 6 + 2 <= left) return text.length + 2;
  let size = 2;
  for (let i = 0; i < text.length && size <= left; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size += 4;
      i++;
    } else
      size +=
        c === 0x22 || c === 0x5c || (c >= 8 && c <= 13 && c !== 11)
          ? 2
          : c < 0x20 || (c >= 0xd800 && c < 0xe000)
            ? 6
            : c < 0x80
              ? 1
              : c < 0x800
                ? 2
                : 3;
  }
  return size;
}
