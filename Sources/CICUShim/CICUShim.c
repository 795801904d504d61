// The only file that sees ICU's headers. See include/CICUShim.h for the contract.
#include "CICUShim.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/uset.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

_Static_assert(sizeof(UChar) == sizeof(uint16_t), "UChar must be 16 bits");
_Static_assert(sizeof(UErrorCode) == sizeof(int32_t), "UErrorCode must be 32 bits");

const char *CICUShim_errorName(int32_t err) { return u_errorName((UErrorCode)err); }

int32_t CICUShim_isFailure(int32_t err) { return U_FAILURE((UErrorCode)err) ? 1 : 0; }

void CICUShim_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(info);
    u_versionToString(info, text);
    strncpy(buffer, text, (size_t)capacity);
    if (capacity > 0) buffer[capacity - 1] = 0;
}

/* ---------------------------------------------------------------- word break ---------- */

struct CICUShim_WordBreaker {
    UBreakIterator *iterator;
};

CICUShim_WordBreaker *CICUShim_wordBreakerOpen(const char *locale, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, locale, NULL, 0, &status);
    *err = status;
    if (U_FAILURE(status)) return NULL;
    CICUShim_WordBreaker *breaker = (CICUShim_WordBreaker *)malloc(sizeof(CICUShim_WordBreaker));
    if (breaker == NULL) {
        ubrk_close(iterator);
        *err = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

void CICUShim_wordBreakerClose(CICUShim_WordBreaker *breaker) {
    if (breaker == NULL) return;
    ubrk_close(breaker->iterator);
    free(breaker);
}

void CICUShim_wordBreakerSetText(CICUShim_WordBreaker *breaker, const uint16_t *text, int32_t length,
                                 int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
    *err = status;
}

int32_t CICUShim_wordBreakerNext(CICUShim_WordBreaker *breaker, int32_t *ends, int32_t *statuses,
                                 int32_t capacity) {
    int32_t count = 0;
    while (count < capacity) {
        int32_t end = ubrk_next(breaker->iterator);
        if (end == UBRK_DONE) break;
        ends[count] = end;
        statuses[count] = ubrk_getRuleStatus(breaker->iterator);
        count++;
    }
    return count;
}

/* ---------------------------------------------------------------- conversion ---------- */

int32_t CICUShim_utf8ToUTF16(const uint8_t *source, int32_t length, uint16_t *destination,
                             int32_t capacity, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t written = 0;
    u_strFromUTF8WithSub((UChar *)destination, capacity, &written, (const char *)source, length,
                         0xFFFD, NULL, &status);
    *err = status;
    return written;
}

int32_t CICUShim_decode(const char *charset, const uint8_t *source, int32_t length,
                        uint16_t *destination, int32_t capacity, int32_t *errorOffset, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    *errorOffset = -1;
    UConverter *converter = ucnv_open(charset, &status);
    if (U_FAILURE(status)) {
        *err = status;
        return 0;
    }
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    const char *cursor = (const char *)source;
    const char *limit = cursor + length;
    UChar *target = (UChar *)destination;
    UChar *targetLimit = target + capacity;
    ucnv_toUnicode(converter, &target, targetLimit, &cursor, limit, NULL, 1, &status);
    if (U_FAILURE(status)) {
        char invalid[32];
        int8_t invalidLength = sizeof(invalid);
        UErrorCode ignored = U_ZERO_ERROR;
        ucnv_getInvalidChars(converter, invalid, &invalidLength, &ignored);
        int32_t consumed = (int32_t)(cursor - (const char *)source);
        *errorOffset = consumed - (U_SUCCESS(ignored) ? invalidLength : 0);
        if (*errorOffset < 0) *errorOffset = 0;
    }
    *err = status;
    ucnv_close(converter);
    return (int32_t)(target - (UChar *)destination);
}

int32_t CICUShim_detectCharsets(const uint8_t *source, int32_t length, char *names,
                                int32_t *confidences, int32_t capacity, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&status);
    if (U_FAILURE(status)) {
        *err = status;
        return 0;
    }
    ucsdet_setText(detector, (const char *)source, length, &status);
    int32_t found = 0;
    const UCharsetMatch **matches = ucsdet_detectAll(detector, &found, &status);
    int32_t written = 0;
    if (U_SUCCESS(status)) {
        for (int32_t i = 0; i < found && written < capacity; i++) {
            UErrorCode each = U_ZERO_ERROR;
            const char *name = ucsdet_getName(matches[i], &each);
            int32_t confidence = ucsdet_getConfidence(matches[i], &each);
            if (U_FAILURE(each) || name == NULL) continue;
            strncpy(names + 32 * written, name, 31);
            names[32 * written + 31] = 0;
            confidences[written] = confidence;
            written++;
        }
    }
    *err = status;
    ucsdet_close(detector);
    return written;
}

/* ---------------------------------------------------------------- normalization ------- */

int32_t CICUShim_nfkcCasefold(const uint16_t *source, int32_t length, uint16_t *destination,
                              int32_t capacity, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) {
        *err = status;
        return 0;
    }
    int32_t written = unorm2_normalize(normalizer, (const UChar *)source, length, (UChar *)destination,
                                       capacity, &status);
    *err = status;
    return written;
}

int32_t CICUShim_unicodeSetRanges(const char *pattern, uint32_t *ranges, int32_t capacity, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    UChar upattern[256];
    u_strFromUTF8(upattern, 256, NULL, pattern, -1, &status);
    if (U_FAILURE(status)) {
        *err = status;
        return 0;
    }
    USet *set = uset_openPattern(upattern, -1, &status);
    if (U_FAILURE(status)) {
        *err = status;
        return 0;
    }
    int32_t count = uset_getItemCount(set);
    int32_t written = 0;
    for (int32_t i = 0; i < count; i++) {
        UChar32 start, end;
        UErrorCode each = U_ZERO_ERROR;
        int32_t stringLength = uset_getItem(set, i, &start, &end, NULL, 0, &each);
        if (stringLength != 0) continue; /* a string item, not a range */
        if (written < capacity) {
            ranges[2 * written] = (uint32_t)start;
            ranges[2 * written + 1] = (uint32_t)end;
        }
        written++;
    }
    uset_close(set);
    *err = U_ZERO_ERROR;
    return written;
}

struct CICUShim_Transliterator {
    UTransliterator *transliterator;
};

CICUShim_Transliterator *CICUShim_transliteratorOpen(const char *identifier, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    UChar uid[128];
    u_strFromUTF8(uid, 128, NULL, identifier, -1, &status);
    if (U_FAILURE(status)) {
        *err = status;
        return NULL;
    }
    UTransliterator *transliterator = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    *err = status;
    if (U_FAILURE(status)) return NULL;
    CICUShim_Transliterator *handle = (CICUShim_Transliterator *)malloc(sizeof(CICUShim_Transliterator));
    if (handle == NULL) {
        utrans_close(transliterator);
        *err = U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    handle->transliterator = transliterator;
    return handle;
}

void CICUShim_transliteratorClose(CICUShim_Transliterator *transliterator) {
    if (transliterator == NULL) return;
    utrans_close(transliterator->transliterator);
    free(transliterator);
}

int32_t CICUShim_transliterate(CICUShim_Transliterator *transliterator, uint16_t *text, int32_t length,
                               int32_t capacity, int32_t *err) {
    UErrorCode status = U_ZERO_ERROR;
    int32_t textLength = length;
    int32_t limit = length;
    utrans_transUChars(transliterator->transliterator, (UChar *)text, &textLength, capacity, 0, &limit,
                       &status);
    *err = status;
    return textLength;
}
