import APIKeyCore
import APIKeyFluent
import Fluent
import Vapor

/// Writes the app's key usage while it runs (every interval of `app.apiKeys.usage`) and once
/// more when it shuts down, before its databases close.
///
/// Made with the app's API key configuration, whenever that is (while configuring, or at the
/// first request): it starts writing at once rather than at boot, since a handler registered
/// after boot never hears of it. Its first write comes an interval later.
final class UsageWriting: LifecycleHandler {
    private let task: Task<Void, Never>

    init(_ application: Application) {
        let flushing = UsageFlushing(
            services: { application.apiKeys.configuration.services },
            database: { application.db(application.apiKeys.configuration.database) },
            logger: application.logger)
        task = Task { await flushing.run() }
    }

    func shutdownAsync(_ application: Application) async {
        task.cancel()
        await task.value
        // Loops over app.apiKeys.events end with the app.
        application.apiKeys.configuration.services.events.finish()
    }
}
