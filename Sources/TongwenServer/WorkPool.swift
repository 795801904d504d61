import Foundation
import Synchronization

/// A fixed set of threads for the expensive requests (searches, the duplicate report), so they
/// never occupy Swift's cooperative threads: `/health`, `/stats` and documents keep answering
/// however many searches are in flight. At most `queueLimit` jobs wait; one more is refused at
/// once (the server answers 503), and a job whose deadline passed while it waited is not run.
final class WorkPool: Sendable {
    enum Refusal: Error, Equatable {
        /// Every worker is busy and the queue is full.
        case full
        /// The job's deadline passed before a worker was free.
        case expired
    }

    private struct Job {
        var deadline: ContinuousClock.Instant?
        var run: @Sendable (Bool) -> Void  // false: expired, not run
    }

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var waiting: Int { jobs.count - head }
    }

    let workers: Int
    let queueLimit: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Jobs that started (tests count them).
    let started = Atomic<Int>(0)

    /// Jobs waiting for a worker.
    var waiting: Int { state.withLock { $0.waiting } }

    init(name: String, workers: Int, queueLimit: Int) {
        self.workers = workers
        self.queueLimit = queueLimit
        for i in 0..<workers {
            let thread = Thread { [self] in self.loop() }
            thread.name = "\(name)-\(i)"
            thread.start()
        }
    }

    /// Runs `work` on a worker and returns its result, unless refused.
    func run<T: Sendable>(deadline: ContinuousClock.Instant? = nil, _ work: @escaping @Sendable () -> T) async throws(Refusal) -> T {
        let result: Result<T, Refusal> = await withCheckedContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard state.waiting < queueLimit else { return false }
                state.jobs.append(Job(deadline: deadline) { live in
                    continuation.resume(returning: live ? .success(work()) : .failure(.expired))
                })
                return true
            }
            if accepted { available.signal() } else { continuation.resume(returning: .failure(.full)) }
        }
        return try result.get()
    }

    private func loop() {
        while true {
            available.wait()
            let job = state.withLock { state -> Job in
                let job = state.jobs[state.head]
                state.head += 1
                if state.head > 1024 && state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            let live = job.deadline.map { ContinuousClock.now < $0 } ?? true
            if live { started.add(1, ordering: .relaxed) }
            job.run(live)
        }
    }
}
