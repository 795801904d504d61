/* Intentionally empty: linking only. See CCompressionShim. */
