/**
 * Deepest JSON any client of ours sends (our schemas nest about 5 levels, Shopify and WooCommerce orders about 6):
 * far below what makes parsing or validating a body expensive (500,000 levels of `[` cost seconds of event loop).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `max`, found in one pass over the text before it is parsed:
 * brackets inside strings do not count. Stops at the first level too deep, so a hostile body costs no more than
 * `max` brackets and the bytes before them.
 */
export function jsonNestedDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const tooDeepMessage = `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
