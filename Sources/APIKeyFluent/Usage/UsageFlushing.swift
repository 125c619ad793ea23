import APIKeyCore
package import FluentKit
package import Logging

/// Writes what the app's services gathered of their keys' use, every interval of the usage
/// policy, and once more when stopped, and gives back unspent rate-limit budgets: the loop that
/// Vapor's lifecycle and Hummingbird's service run.
///
/// One loop writes at a time, so a shutdown's last write never races a periodic one: nothing
/// is written twice, and what a failed write held is kept for the next.
package struct UsageFlushing: Sendable {
    /// The app's services now (Vapor replaces them when a setting changes).
    let services: @Sendable () -> APIKeyServices
    let database: @Sendable () -> any Database
    let logger: Logger

    package init(services: @escaping @Sendable () -> APIKeyServices, database: @escaping @Sendable () -> any Database, logger: Logger) {
        self.services = services
        self.database = database
        self.logger = logger
    }

    /// Writes every interval until the task is cancelled, then writes what is left. Each second,
    /// it also gives back the rate-limit budgets this instance leased for keys that went quiet.
    package func run() async {
        let clock = ContinuousClock()
        var lastWrite = clock.now
        while !Task.isCancelled {
            // The services and their policy are read at each tick: Vapor replaces them when a
            // setting changes, and a new interval takes effect within a second.
            let services = services()
            let policy = services.settings.usage
            guard policy != nil || services.settings.rateLimitSharing.isAcrossInstances else { return }
            if policy != nil { services.startRecordingUsage() }
            let due = policy.map { lastWrite + $0.flushInterval }
            do {
                try await Task.sleep(until: min(due ?? clock.now + .seconds(1), clock.now + .seconds(1)), clock: clock)
            } catch {
                break
            }
            await uncancelled { await giveBackBudgets(everything: false) }
            if let due, clock.now >= due {
                await uncancelled { await flush() }
                lastWrite = clock.now
            }
        }
        await uncancelled {
            await flush()
            await giveBackBudgets(everything: true)
        }
    }

    /// Runs `write` in a task of its own and waits for it: a shutdown that cancels this loop must
    /// not cancel a write half-way (the drivers refuse a cancelled task's queries), and the last
    /// write runs after the cancellation.
    private func uncancelled(_ write: @escaping @Sendable () async -> Void) async {
        await Task { await write() }.value
    }

    /// Writes what every service gathered.
    package func flush() async {
        await services().flushUsage(on: database(), logger: logger)
    }

    private func giveBackBudgets(everything: Bool) async {
        await services().giveBackUnspentBudgets(on: database(), everything: everything, logger: logger)
    }
}

extension APIKeyServices {
    /// Starts gathering every service's usage (and that of services made later).
    package func startRecordingUsage() {
        isRecordingUsage.withLock { $0 = true }
        for service in allServices() { service.usageRecorder?.start() }
    }

    /// Writes what each service gathered of its keys' use; a write that fails is logged and kept
    /// for the next.
    package func flushUsage(on database: any Database, logger: Logger) async {
        for service in allServices() {
            guard let recorder = service.usageRecorder else { continue }
            let batch = recorder.take()
            if batch.dropped > 0 {
                logger.warning(
                    "API key usage: uses were dropped, too many keys were used between two writes",
                    metadata: ["dropped": "\(batch.dropped)", "maximum_pending_keys": "\(recorder.maximumPendingKeys)"])
            }
            guard !batch.isEmpty else {
                if batch.dropped > 0 { service.metrics.usageWrite(keys: 0, failed: false, dropped: batch.dropped) }
                continue
            }
            do {
                try await UsageTables.write(batch, table: service.keyTable, on: database)
                service.metrics.usageWrite(keys: batch.prefixCount, failed: false, dropped: batch.dropped)
                logger.debug("API key usage written", metadata: ["keys": "\(batch.prefixCount)", "table": .string(service.keyTable)])
            } catch {
                service.metrics.usageWrite(keys: 0, failed: true, dropped: batch.dropped)
                recorder.putBack(batch)
                logger.warning(
                    "API key usage could not be written; it is kept for the next write. Is the CreateAPIKeyUsage migration in place?",
                    metadata: ["table": .string(service.keyTable), "keys": "\(batch.prefixCount)", "error": "\(String(reflecting: error))"])
            }
        }
    }
}
