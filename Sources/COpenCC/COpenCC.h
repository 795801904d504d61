/* Intentionally empty: COpenCC exists for pkg-config flags and linking. OpenCC's own header is
   included only by Sources/COpenCCShim/COpenCCShim.c. */
