import FluentKit
import Foundation

/// A company whose services call the API with keys of their own.
public final class Company: Model, @unchecked Sendable {
    public static let schema = "companies"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "is_active") public var isActive: Bool

    public init() {}
    public init(name: String, isActive: Bool) {
        self.name = name
        self.isActive = isActive
    }
}
