#include "COpenCCShim.h"

#include <opencc/opencc.h>
#include <stdlib.h>
#include <string.h>

struct COpenCCShim_Converter {
    opencc_t handle;
};

COpenCCShim_Converter *COpenCCShim_open(const char *configPath) {
    opencc_t handle = opencc_open(configPath);
    if (handle == (opencc_t)-1) return NULL;
    COpenCCShim_Converter *converter = (COpenCCShim_Converter *)malloc(sizeof(COpenCCShim_Converter));
    if (converter == NULL) {
        opencc_close(handle);
        return NULL;
    }
    converter->handle = handle;
    return converter;
}

void COpenCCShim_close(COpenCCShim_Converter *converter) {
    if (converter == NULL) return;
    opencc_close(converter->handle);
    free(converter);
}

char *COpenCCShim_convert(COpenCCShim_Converter *converter, const char *input, size_t length,
                          size_t *outputLength) {
    char *output = opencc_convert_utf8(converter->handle, input, length);
    if (output != NULL && outputLength != NULL) *outputLength = strlen(output);
    return output;
}

void COpenCCShim_free(char *string) {
    if (string != NULL) opencc_convert_utf8_free(string);
}

const char *COpenCCShim_lastError(void) {
    const char *message = opencc_error();
    return message != NULL ? message : "unknown OpenCC error";
}
