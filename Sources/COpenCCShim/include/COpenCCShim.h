#ifndef COPENCCSHIM_H
#define COPENCCSHIM_H

/*
 * A narrow C face over libopencc (word- and phrase-aware conversion between Simplified,
 * Traditional, Taiwan and Hong Kong standards) for Swift. Only <stddef.h>/<stdint.h> types and an
 * opaque handle cross this header; OpenCC's own header is included by COpenCCShim.c alone.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct COpenCCShim_Converter COpenCCShim_Converter;

/** Opens the converter a configuration file describes (a path to e.g. `tw2s.json`; the
    dictionaries it names are looked up beside it). NULL on failure: see COpenCCShim_lastError. */
COpenCCShim_Converter *COpenCCShim_open(const char *configPath);

/** Closes a converter opened by COpenCCShim_open (NULL is ignored). */
void COpenCCShim_close(COpenCCShim_Converter *converter);

/**
 * Converts `length` bytes of UTF-8 at `input`. Returns a NUL-terminated UTF-8 string the caller
 * frees with COpenCCShim_free, or NULL on failure; `*outputLength` receives its length in bytes.
 */
char *COpenCCShim_convert(COpenCCShim_Converter *converter, const char *input, size_t length,
                          size_t *outputLength);

/** Frees a string returned by COpenCCShim_convert. */
void COpenCCShim_free(char *string);

/** OpenCC's message for the last failure in this thread. Never NULL. */
const char *COpenCCShim_lastError(void);

#ifdef __cplusplus
}
#endif

#endif
