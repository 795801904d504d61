/* Intentionally empty: CICU exists for pkg-config flags and linking. ICU's own headers are
   included only by Sources/CICUShim/CICUShim.c. */
