import APIKeyManagementContract
package import OpenAPIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension APIKeyManagementAPI {
    /// Registers every operation on `transport` (a route group of the mount's path): the gate
    /// first, problem details for every failure around it.
    package func register(on transport: some ServerTransport) throws {
        try ManagementHandler().registerHandlers(
            on: transport, serverURL: URL(string: "/")!, middlewares: [ProblemMiddleware(), ManagementGate(self)])
    }

    /// The contract, served next to the API as `openapi.yaml`.
    package static var contract: String { ManagementContract.yaml }
}
