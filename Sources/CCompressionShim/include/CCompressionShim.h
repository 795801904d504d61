#ifndef CCOMPRESSIONSHIM_H
#define CCOMPRESSIONSHIM_H

/*
 * zlib and liblzma behind plain C types: CRC-32, one-shot deflate/inflate for stored text, and
 * streaming decompression of .gz and .xz input files. Return codes: 0 success, negative failure.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** CRC-32 (zlib's, IEEE polynomial) of `length` bytes, continuing from `crc` (start with 0). */
uint32_t CCompressionShim_crc32(uint32_t crc, const uint8_t *bytes, size_t length);

/** Upper bound of deflate's output for `length` input bytes. */
size_t CCompressionShim_deflateBound(size_t length);

/** zlib-format deflate at `level` (1–9). Returns the compressed size, or -1. */
int64_t CCompressionShim_deflate(const uint8_t *source, size_t length, uint8_t *destination, size_t capacity,
                                 int32_t level);

/** Inflates zlib-format data whose uncompressed size is exactly `expected`. Returns 0 or -1. */
int32_t CCompressionShim_inflate(const uint8_t *source, size_t length, uint8_t *destination, size_t expected);

/** A streaming decoder for .gz or .xz files. */
typedef struct CCompressionShim_Stream CCompressionShim_Stream;

/** kind: 1 = gzip, 2 = xz. Returns NULL on failure. */
CCompressionShim_Stream *CCompressionShim_streamOpen(int32_t kind);
void CCompressionShim_streamClose(CCompressionShim_Stream *stream);

/**
 * Feeds `length` input bytes (`finish` = 1 with the last chunk) and writes up to `capacity` output
 * bytes. `*consumed` tells how much input was used. Returns the bytes written, or -1 on corrupt
 * data (then `*errorOffset` is the total input consumed so far). Returns 0 with `*done` = 1 at the end.
 */
int64_t CCompressionShim_streamDecode(CCompressionShim_Stream *stream, const uint8_t *input, size_t length,
                                      int32_t finish, uint8_t *output, size_t capacity, size_t *consumed,
                                      int32_t *done, uint64_t *errorOffset);

#ifdef __cplusplus
}
#endif

#endif
