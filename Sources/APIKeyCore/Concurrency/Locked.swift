#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex: the package's one lock.
///
/// Not `Synchronization.Mutex`: on Linux its futex lock is invisible to ThreadSanitizer, which
/// then reports every access it guards as a race, and it slows down sharply under contention
/// (swiftlang/swift#88440), which is what two event loops reading one cache are. A pthread mutex
/// is what NIO's and Vapor's locks use; TSan knows it.
///
/// ```swift
/// let hits = Locked(0)
/// hits.withLock { $0 += 1 }
/// ```
@usableFromInline
package final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only read or written between `pthread_mutex_lock` and
    // `pthread_mutex_unlock` of `mutex`, which this class owns for its whole life.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    /// A lock around `value`.
    package init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let created = pthread_mutex_init(mutex, nil)
        precondition(created == 0, "pthread_mutex_init failed: \(created)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    ///
    /// Inlinable, so that a caller's specialization (a cache hit's lookup) runs `body` without a
    /// generic call; taking and releasing the mutex stay behind `lock()` and `unlock()`, which
    /// keeps pthread out of the module's interface.
    @inlinable
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body(&value)
    }

    @usableFromInline func lock() { pthread_mutex_lock(mutex) }

    @usableFromInline func unlock() { pthread_mutex_unlock(mutex) }
}
