// Key spellings for bench/wan.mjs: the database's utf8mb4_unicode_ci holds every case spelling of
// the pair equal, and both the Worker's isolate cache and the auth helper's KV cache are keyed by
// the spelling sent. A spelling never sent before therefore misses both and makes the helper look
// the pair up in the console database, which is what "auth answer not cached" means here.
import { KEY, KEY_HEADERS } from './dataset.mjs';

const KEY_TEXT = `${KEY.int_key}\n${KEY.api_key}`;
const KEY_LETTERS = [...KEY_TEXT].filter((ch) => /[a-z]/.test(ch)).length;

/**
 * The key headers of one run: `headersFor('cached')` the bench key pair as it is, any other auth
 * a spelling of it not sent before in this run; `used` counts the fresh spellings handed out.
 */
export function keySpellings() {
  let spellingsUsed = 0;
  function freshKeyHeaders() {
    spellingsUsed += 1;
    if (spellingsUsed >= 2 ** KEY_LETTERS) throw new Error('out of fresh key spellings');
    let bit = 0;
    const text = [...KEY_TEXT]
      .map((ch) => (/[a-z]/.test(ch) ? ((spellingsUsed >> bit++) & 1 ? ch.toUpperCase() : ch) : ch))
      .join('');
    const [intKey, apiKey] = text.split('\n');
    return { 'X-Integration-Key': intKey, 'X-Api-Key': apiKey };
  }
  return {
    headersFor: (auth) => (auth === 'cached' ? KEY_HEADERS : freshKeyHeaders()),
    get used() {
      return spellingsUsed;
    },
  };
}
