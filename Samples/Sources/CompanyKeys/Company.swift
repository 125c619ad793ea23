import APIKeyVapor
import Fluent
import Foundation

/// A company whose services call the API with keys of their own.
final class Company: Model, @unchecked Sendable {
    static let schema = "companies"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "is_active") var isActive: Bool

    init() {}
    init(name: String, isActive: Bool) {
        self.name = name
        self.isActive = isActive
    }
}
