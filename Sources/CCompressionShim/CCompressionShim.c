// The only file that sees zlib's and liblzma's headers. Contract in include/CCompressionShim.h.
#include "CCompressionShim.h"

#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint32_t CCompressionShim_crc32(uint32_t crc, const uint8_t *bytes, size_t length) {
    uLong value = crc;
    while (length > 0) {
        uInt chunk = length > 0x40000000u ? 0x40000000u : (uInt)length;
        value = crc32(value, bytes, chunk);
        bytes += chunk;
        length -= chunk;
    }
    return (uint32_t)value;
}

size_t CCompressionShim_deflateBound(size_t length) { return (size_t)compressBound((uLong)length); }

int64_t CCompressionShim_deflate(const uint8_t *source, size_t length, uint8_t *destination, size_t capacity,
                                 int32_t level) {
    uLongf written = (uLongf)capacity;
    int rc = compress2(destination, &written, source, (uLong)length, level);
    return rc == Z_OK ? (int64_t)written : -1;
}

int32_t CCompressionShim_inflate(const uint8_t *source, size_t length, uint8_t *destination, size_t expected) {
    uLongf written = (uLongf)expected;
    int rc = uncompress(destination, &written, source, (uLong)length);
    return (rc == Z_OK && written == expected) ? 0 : -1;
}

struct CCompressionShim_Stream {
    int32_t kind;
    z_stream gz;
    lzma_stream xz;
    uint64_t total;
};

CCompressionShim_Stream *CCompressionShim_streamOpen(int32_t kind) {
    CCompressionShim_Stream *s = (CCompressionShim_Stream *)calloc(1, sizeof(CCompressionShim_Stream));
    if (s == NULL) return NULL;
    s->kind = kind;
    if (kind == 1) {
        if (inflateInit2(&s->gz, 15 + 32) != Z_OK) { free(s); return NULL; }  /* gzip or zlib header */
    } else {
        lzma_stream init = LZMA_STREAM_INIT;
        s->xz = init;
        if (lzma_stream_decoder(&s->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) { free(s); return NULL; }
    }
    return s;
}

void CCompressionShim_streamClose(CCompressionShim_Stream *s) {
    if (s == NULL) return;
    if (s->kind == 1) inflateEnd(&s->gz); else lzma_end(&s->xz);
    free(s);
}

int64_t CCompressionShim_streamDecode(CCompressionShim_Stream *s, const uint8_t *input, size_t length,
                                      int32_t finish, uint8_t *output, size_t capacity, size_t *consumed,
                                      int32_t *done, uint64_t *errorOffset) {
    *done = 0;
    if (s->kind == 1) {
        s->gz.next_in = (Bytef *)input;
        s->gz.avail_in = (uInt)length;
        s->gz.next_out = output;
        s->gz.avail_out = (uInt)capacity;
        int rc = inflate(&s->gz, finish ? Z_FINISH : Z_NO_FLUSH);
        *consumed = length - s->gz.avail_in;
        s->total += *consumed;
        if (rc == Z_STREAM_END) {
            *done = 1;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            *errorOffset = s->total;
            return -1;
        } else if (rc == Z_BUF_ERROR && finish && s->gz.avail_in == 0 && capacity - s->gz.avail_out == 0) {
            *errorOffset = s->total;  /* truncated input */
            return -1;
        }
        return (int64_t)(capacity - s->gz.avail_out);
    }
    s->xz.next_in = input;
    s->xz.avail_in = length;
    s->xz.next_out = output;
    s->xz.avail_out = capacity;
    lzma_ret rc = lzma_code(&s->xz, finish ? LZMA_FINISH : LZMA_RUN);
    *consumed = length - s->xz.avail_in;
    s->total += *consumed;
    if (rc == LZMA_STREAM_END) {
        *done = 1;
    } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
        *errorOffset = s->total;
        return -1;
    } else if (rc == LZMA_BUF_ERROR && finish && capacity - s->xz.avail_out == 0) {
        *errorOffset = s->total;
        return -1;
    }
    return (int64_t)(capacity - s->xz.avail_out);
}
