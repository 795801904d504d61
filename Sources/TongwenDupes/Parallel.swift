import Dispatch

/// `body(i, worker)` for every i in 0..<count on two threads (worker 0 or 1), results in order.
func parallelMap<T>(_ count: Int, _ body: (Int, Int) -> T) -> [T] {
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { out in
        let slots = UncheckedSendable(out)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: 2) { worker in
                for i in stride(from: worker, to: count, by: 2) { slots.value[i] = work.value(i, worker) }
            }
        }
    }
    return results.map { $0! }
}

/// Hands a value to `concurrentPerform`'s workers, which touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
