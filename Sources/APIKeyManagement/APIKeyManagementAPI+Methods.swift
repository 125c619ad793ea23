extension APIKeyManagementAPI {
    /// The contract's paths, relative to the mount (`{prefix}` a parameter), and the methods each
    /// takes: glue answers every other method with ``methodNotAllowed(allowing:)``.
    package static let paths: [(components: [String], methods: [String])] = [
        (["keys"], ["GET", "POST"]),
        (["keys", "{prefix}"], ["GET", "PATCH", "DELETE"]),
        (["keys", "{prefix}", "rotate"], ["POST"]),
        (["keys", "{prefix}", "suspend"], ["POST"]),
        (["keys", "{prefix}", "resume"], ["POST"]),
        (["keys", "{prefix}", "revoke"], ["POST"]),
        (["keys", "{prefix}", "usage"], ["GET"]),
        (["keys", "{prefix}", "events"], ["GET"]),
    ]

    /// The methods glue answers with 405 where a path does not take them.
    package static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY"]

    /// 405, with the `Allow` field.
    package static func methodNotAllowed(allowing methods: [String]) -> ManagementProblem {
        var problem = ManagementProblem(
            "method-not-allowed", status: 405, title: "This method is not allowed here",
            detail: "This path takes \(methods.joined(separator: " and ")) only.")
        problem.headers.append((name: "Allow", value: methods.joined(separator: ", ")))
        return problem
    }
}
