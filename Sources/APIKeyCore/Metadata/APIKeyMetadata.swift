#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A small JSON object kept with a key, for the app's own use: a customer id, a plan, a note.
/// At most ``maximumSize`` bytes of JSON. It is on the request's identity and in the cache, so
/// reading it costs no query.
///
/// ```swift
/// let metadata = try APIKeyMetadata(json: #"{"customer":"cus_123","plan":"pro"}"#)
/// metadata["plan"]                                  // .string("pro")
/// struct Billing: Decodable { let customer: String }
/// try key.metadata.decode(Billing.self).customer    // "cus_123"
/// ```
///
/// Nothing secret belongs here: it is shown in the admin panel and by the commands.
public struct APIKeyMetadata: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A JSON value.
    ///
    /// ```swift
    /// if case .string(let plan)? = key.metadata["plan"] { … }
    /// ```
    public indirect enum Value: Sendable, Hashable, Codable {
        /// `null`
        case null
        /// `true` or `false`
        case bool(Bool)
        /// A number (JSON does not tell integers apart).
        case number(Double)
        /// A string.
        case string(String)
        /// An array.
        case array([Value])
        /// An object.
        case object([String: Value])

        /// Decodes any JSON value.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let array = try? container.decode([Value].self) {
                self = .array(array)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        /// Encodes it as JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .null: try container.encodeNil()
            case .bool(let bool): try container.encode(bool)
            case .number(let number): try container.encode(number)
            case .string(let string): try container.encode(string)
            case .array(let array): try container.encode(array)
            case .object(let object): try container.encode(object)
            }
        }
    }

    /// The object's members.
    public let values: [String: Value]

    /// At most 4 KiB of JSON, encoded: a key's metadata lives in every cache entry.
    public static let maximumSize = 4096

    /// The empty object.
    public static let empty = APIKeyMetadata(unchecked: [:])

    private init(unchecked values: [String: Value]) {
        self.values = values
    }

    /// Metadata with these members.
    ///
    /// - Throws: ``APIKeyFieldError`` when it encodes to more than ``maximumSize`` bytes.
    public init(_ values: [String: Value]) throws(APIKeyFieldError) {
        self.init(unchecked: values)
        let size = json.utf8.count
        guard size <= Self.maximumSize else { throw Self.tooLarge(size) }
    }

    /// Parses a JSON object of at most ``maximumSize`` bytes.
    ///
    /// - Throws: ``APIKeyFieldError`` saying what is accepted.
    public init(json: String) throws(APIKeyFieldError) {
        guard json.utf8.count <= Self.maximumSize else { throw Self.tooLarge(json.utf8.count) }
        let values: [String: Value]
        do {
            values = try JSONDecoder().decode([String: Value].self, from: Data(json.utf8))
        } catch {
            throw APIKeyFieldError(
                field: .metadata,
                description: #"Metadata must be a JSON object, such as {"customer":"cus_123"}; this is not one."#)
        }
        try self.init(values)
    }

    /// The member named `key`.
    public subscript(key: String) -> Value? { values[key] }

    /// Whether it has no members.
    public var isEmpty: Bool { values.isEmpty }

    /// The object decoded as `type`.
    ///
    /// - Throws: `DecodingError` when it does not have `type`'s shape.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// The object as compact JSON, its members sorted: `{"customer":"cus_123","plan":"pro"}`.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of JSON values cannot fail (a non-finite number cannot be decoded
        // into one in the first place).
        return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// ``json``.
    public var description: String { json }

    /// Decodes a JSON object (as Fluent reads a JSON column).
    public init(from decoder: any Decoder) throws {
        self.init(unchecked: try [String: Value](from: decoder))
    }

    /// Encodes the JSON object.
    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    private static func tooLarge(_ size: Int) -> APIKeyFieldError {
        APIKeyFieldError(field: .metadata, description: "Metadata may be at most \(maximumSize) bytes of JSON; this is \(size).")
    }
}
