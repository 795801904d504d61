#ifndef CICUSHIM_H
#define CICUSHIM_H

/*
 * A narrow C face over libicu for Swift.
 *
 * Only <stdint.h> types and opaque handles cross this header: ICU's own headers rename every
 * entry point through macros and clash with the ICU copy Foundation ships on Linux, so they are
 * included by CICUShim.c alone. Every function reports ICU's UErrorCode as an int32_t through
 * `err` (0 = success, negative = warning, positive = failure); CICUShim_errorName names it.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ICU's name for an error code, e.g. "U_INVALID_CHAR_FOUND". Never NULL. */
const char *CICUShim_errorName(int32_t err);

/** Writes ICU's version ("72.1") into `buffer` (at least 32 bytes). */
void CICUShim_version(char *buffer, int32_t capacity);

/** True when `err` is a failure (ICU's U_FAILURE). */
int32_t CICUShim_isFailure(int32_t err);

/* ---------------------------------------------------------------- word break ---------- */

typedef struct CICUShim_WordBreaker CICUShim_WordBreaker;

/** Opens a word break iterator for `locale` (e.g. "zh"). Returns NULL on failure. */
CICUShim_WordBreaker *CICUShim_wordBreakerOpen(const char *locale, int32_t *err);
void CICUShim_wordBreakerClose(CICUShim_WordBreaker *breaker);

/**
 * Points the iterator at UTF-16 `text` (not copied: it must outlive the walk) and rewinds it.
 */
void CICUShim_wordBreakerSetText(CICUShim_WordBreaker *breaker, const uint16_t *text, int32_t length,
                                 int32_t *err);

/**
 * Fills up to `capacity` of the next segments: `ends[i]` is a boundary (UTF-16 offset) and
 * `statuses[i]` the rule status of the segment ending there (0 none, 100 number, 200 letter,
 * 300 kana, 400 ideographic). Returns how many were written; 0 once the text is exhausted.
 */
int32_t CICUShim_wordBreakerNext(CICUShim_WordBreaker *breaker, int32_t *ends, int32_t *statuses,
                                 int32_t capacity);

/* ---------------------------------------------------------------- conversion ---------- */

/**
 * UTF-8 → UTF-16 (ICU's u_strFromUTF8, invalid bytes replaced). Returns the UTF-16 length, which
 * may exceed `capacity` (then err is U_BUFFER_OVERFLOW_ERROR and nothing useful was written).
 */
int32_t CICUShim_utf8ToUTF16(const uint8_t *source, int32_t length, uint16_t *destination,
                             int32_t capacity, int32_t *err);

/**
 * Decodes `source` in the charset `charset` (any name ICU knows: "GB18030", "Big5", "UTF-16LE"…)
 * into UTF-16, stopping at the first byte sequence that is invalid or unmappable.
 * Returns the UTF-16 length written. On such a failure `err` is set and `*errorOffset` is the byte
 * offset in `source` where the offending sequence starts.
 */
int32_t CICUShim_decode(const char *charset, const uint8_t *source, int32_t length,
                        uint16_t *destination, int32_t capacity, int32_t *errorOffset, int32_t *err);

/**
 * Runs ICU's charset detector over `source` and writes up to `capacity` candidates, best first:
 * their names into `names` (each slot 32 bytes, NUL-terminated) and confidences (0–100).
 * Returns how many were written.
 */
int32_t CICUShim_detectCharsets(const uint8_t *source, int32_t length, char *names,
                                int32_t *confidences, int32_t capacity, int32_t *err);

/* ---------------------------------------------------------------- normalization ------- */

/**
 * NFKC_Casefold of `source` into `destination`. Returns the length of the result (which may
 * exceed `capacity`; then err is U_BUFFER_OVERFLOW_ERROR).
 */
int32_t CICUShim_nfkcCasefold(const uint16_t *source, int32_t length, uint16_t *destination,
                              int32_t capacity, int32_t *err);

/** Writes the ranges of code points in `pattern` (a UnicodeSet pattern such as "[:Han:]") as
 *  pairs start, end (inclusive) into `ranges` (2 × capacity entries). Returns the number of
 *  ranges, which may exceed `capacity`. */
int32_t CICUShim_unicodeSetRanges(const char *pattern, uint32_t *ranges, int32_t capacity, int32_t *err);

typedef struct CICUShim_Transliterator CICUShim_Transliterator;

/** Opens the transliterator with ICU id `identifier` (ASCII, e.g. "Traditional-Simplified"). */
CICUShim_Transliterator *CICUShim_transliteratorOpen(const char *identifier, int32_t *err);
void CICUShim_transliteratorClose(CICUShim_Transliterator *transliterator);

/**
 * Transliterates `text[0..<length]` in place; `capacity` is the buffer's size. Returns the new
 * length (err is U_BUFFER_OVERFLOW_ERROR when it does not fit).
 */
int32_t CICUShim_transliterate(CICUShim_Transliterator *transliterator, uint16_t *text, int32_t length,
                               int32_t capacity, int32_t *err);

#ifdef __cplusplus
}
#endif

#endif
