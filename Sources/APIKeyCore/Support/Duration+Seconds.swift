#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    ///
    /// ```swift
    /// now.addingTimeInterval(Duration.seconds(90).timeInterval)
    /// ```
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
