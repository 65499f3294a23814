/**
 * Cheap tests that a text holds no pair the credential mask's pair patterns (har.ts's
 * maskJsonPairs, maskScriptPairs) could match with a credential's name. Those patterns are tried
 * at every position, and each JSON pair found reads its name against five more: an answer over the
 * limit, scanned as it passed (CLIENT-140), held its caller 3.8–6.9 s for 50 MiB where it took
 * 0.3 s unscanned. Each test is a necessary condition, never a guess: where it says no, the
 * pattern would have learnt and masked nothing, so skipping it changes nothing.
 */

/**
 * Whether `text` may hold a JSON pair (`"name": value`) whose name is a credential's, as
 * maskJsonPairs reads one: a name of up to 200 units (a character, or a backslash and the one it
 * escapes), its closing quote, a colon, and a string or a number. Every credential's name (har.ts's
 * isCredentialField) holds one of the words below, in either case: CREDENTIAL_WORDS,
 * CREDENTIAL_CAMEL, SECRET_WORD and SECRET_CAMEL are each made of them (`passwd`, `passcode`,
 * `user_pass` hold `pass`; `api_keys` `key`; `sessionId` `session`; OAuth's `code_verifier`,
 * `device_code`, `client_assertion` and `auth_req_id` hold `code`, `assertion` or `req_id`). A
 * name is read with its escapes undone, so an escape may spell any of them (`pass\u0077ord`,
 * CLIENT-136) and counts as one.
 * Read back from each quote that closes a name (a colon and a value follow): from the first of
 * them in a name, the rest of it reads unit by unit as maskJsonPairs reads it, so a name it
 * matches is found (a word ends in a letter, which never begins an escape; the first backslash in
 * a name begins one, taken with the character it escapes). Anchored on the closing quote, a JSON
 * text is read about once and each name back once: tried from each word, the same test took about
 * 1.4 times as long on loyalty data full of `shipping` and `keywords`. `/i` without `u` folds ASCII
 * letters only, as the credential patterns do.
 */
const CREDENTIAL_JSON_NAME = /"(?=\s*:\s*[-\d"])(?<=(?:token|secret|pass|pwd|jwt|pin|credential|key|authorization|session|code|assertion|req[_-]?id|\\.)(?:[^"\\]|\\.){0,200}")/i;

export const mayHoldCredentialJsonPair = (text: string): boolean => CREDENTIAL_JSON_NAME.test(text);

/**
 * Whether `text` may hold a pair as Python's repr or a JavaScript literal writes it
 * (maskScriptPairs): its name ends in a quote or a name's character, then a colon, then a quoted
 * value. JSON's own pairs (`"id":"1"`) have a double quote before the colon, so a JSON text seldom
 * passes.
 */
export const mayHoldScriptPair = (text: string): boolean => /['\w$]\s*:\s*['"]/.test(text);
