#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The process's standard output, kept for what the commands print.
///
/// A script runs `KEY=$(app api-keys create --name ci)` and must capture the key alone, whatever
/// the app logs: Vapor's default logger, for one, writes to standard output. ``reserve()`` keeps
/// the real standard output for the commands and points file descriptor 1 at standard error, so
/// that everybody else's writes to standard output (logs, a driver's notices) land there instead.
enum CommandStandardOutput {
    /// Where ``write(_:)`` goes: file descriptor 1 until ``reserve()``, then a copy of it.
    private static let descriptor = Atomic<Int32>(1)

    /// From now on, only ``write(_:)`` reaches the process's standard output. Once per process:
    /// the commands' `main` calls it before running.
    static func reserve() {
        guard descriptor.load(ordering: .acquiring) == 1 else { return }
        fflush(nil)  // every stream: what was written before goes where it was meant to
        let kept = dup(1)
        guard kept >= 0 else { return }
        // Standard output becomes standard error: if that fails, both stay as they were.
        guard dup2(2, 1) >= 0 else {
            close(kept)
            return
        }
        descriptor.store(kept, ordering: .releasing)
    }

    /// Writes `text` to the process's real standard output, whole.
    static func write(_ text: String) {
        let fd = descriptor.load(ordering: .acquiring)
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { buffer in
                #if canImport(Darwin)
                Darwin.write(fd, buffer.baseAddress, buffer.count)
                #elseif canImport(Musl)
                Musl.write(fd, buffer.baseAddress, buffer.count)
                #else
                Glibc.write(fd, buffer.baseAddress, buffer.count)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return  // A closed pipe: nobody reads any more.
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
