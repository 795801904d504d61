#if canImport(Glibc)
import Glibc
#endif

/// Hands the heap memory freed so far back to the system (glibc's `malloc_trim`, looked up at
/// run time; nothing elsewhere). A stage frees the scratch of thousands of documents, scattered
/// between the arrays it keeps, and glibc keeps those pages otherwise.
func returnFreedMemory() {
    #if canImport(Glibc)
    typealias Trim = @convention(c) (Int) -> Int32
    // RTLD_DEFAULT is the null handle in glibc.
    if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
    #endif
}
