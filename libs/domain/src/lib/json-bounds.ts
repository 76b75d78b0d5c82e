/** How deep any JSON document GridWatch takes (REST body, MQTT payload or body) may nest. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * The deepest nesting of objects and arrays in a JSON text, counted without parsing it (brackets
 * inside strings do not count), stopping as soon as `limit` is exceeded: linear time, constant
 * memory, no recursion. Run it before JSON.parse, so that no walk of the parsed document (validation,
 * merging, sanitising) can overflow the stack. Malformed text is left for the parser to refuse.
 */
export function jsonDepth(text: string | Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  // Every request body goes through here: the bytes are scanned directly, without a call per
  // character (UTF-8 continuation bytes are never ASCII, so brackets and quotes read the same).
  const codes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index];
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if ((code === CLOSE_OBJECT || code === CLOSE_ARRAY) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

/** Whether a JSON text nests no deeper than `maxDepth` (MAX_JSON_DEPTH unless told). */
export function isWithinJsonDepth(text: string | Uint8Array, maxDepth = MAX_JSON_DEPTH): boolean {
  return jsonDepth(text, maxDepth) <= maxDepth;
}
