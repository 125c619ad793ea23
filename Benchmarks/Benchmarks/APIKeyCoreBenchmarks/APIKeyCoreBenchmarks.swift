import APIKeyCore
import Benchmark

/// The request hot path, piece by piece, and as a whole against an in-memory store with 100,000
/// keys. Each benchmark's inner loop runs `scaledIterations` times so per-call figures are
/// readable in microseconds.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    let scheme = KeyScheme()
    let hasher = SHA512KeyHasher()
    let generator = AlphanumericKeyGenerator()
    let newKey = scheme.makeKey()
    let presented = newKey.plaintext.reveal()
    let header = KeyHeader.authorization()
    let headerValue = ["Api-Key " + presented]

    Benchmark("generate key") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(generator.generate()) }
    }

    Benchmark("hash key (SHA-512)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(hasher.hash(presented)) }
    }

    Benchmark("verify hash (SHA-512, constant time)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(hasher.verify(presented, against: newKey.hashedKey)) }
    }

    Benchmark("parse header") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(header.extract(from: headerValue)) }
    }

    Benchmark("parse key shape") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(generator.prefix(ofPresentedKey: presented)) }
    }

    let store = InMemoryAPIKeyStore(scheme: scheme)
    var validKey = ""
    for index in 0..<100_000 {
        let (_, key) = try! store.createKey(name: "key \(index)")
        validKey = key.reveal()
    }
    let verifier = APIKeyVerifier(store: store, scheme: scheme)
    let validHeader = ["Api-Key " + validKey]
    let wrongSecret = String(validKey.prefix(9)) + String(repeating: "x", count: 32)

    Benchmark("verify request: valid key (parse + lookup + hash + compare)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try await verifier.verify(header.extract(from: validHeader))) }
    }

    // The same request through the verification cache, warmed: what a Vapor app does on a hit
    // (HasAPIKey asks the cache on the event loop, without a task).
    let cache = VerificationCache<StoredAPIKey>(try! VerificationCachePolicy(timeToLive: .seconds(3600)))  // a valid constant
    let cachedStore = CachedAPIKeyStore(store, cache: cache)
    let warm = APIKeyVerifier(store: cachedStore, scheme: scheme)
    Benchmark("verify request: valid key, cache hit") { benchmark in
        _ = try await warm.verify(presentedKey: validKey)  // one in-memory lookup fills the entry
        for _ in benchmark.scaledIterations { blackHole(cache.verifyWithoutWaiting(header.extract(from: validHeader), scheme: scheme)) }
    }

    // The cache's own part of a hit: the lookup that replaces the database round trip.
    Benchmark("cache lookup (hit)") { benchmark in
        _ = try await warm.verify(presentedKey: validKey)
        for _ in benchmark.scaledIterations { blackHole(cachedStore.recordWithoutWaiting(forPrefix: String(validKey.prefix(8)))) }
    }

    Benchmark("verify request: right prefix, wrong secret") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try await verifier.verify(presentedKey: wrongSecret)) }
    }

    Benchmark("verify request: unknown prefix") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await verifier.verify(presentedKey: "zzzzzzzz.0123456789abcdefghijABCDEFGHIJkl"))
        }
    }

    Benchmark("verify request: garbage") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try await verifier.verify(presentedKey: "not-a-key")) }
    }

    // One legacy verification each: these are the once-per-key costs of upgrade on use.
    let legacy: [(String, String)] = [
        ("pbkdf2_sha256 1,000,000", "pbkdf2_sha256$1000000$fixedsalt0123456789abc$742zqQmNoguS0fKEURAVStdZphadBSAJrvg/7b7uQHI="),
        ("scrypt N=16384 r=8 p=5", "scrypt$16384$fixedsalt0123456789abc$8$5$fAu8b9Wxh0XGFxfQth6TACkomijvxgKui58EgRnS7+cmuC7t2Z4vJK1i9rlb4lQotpKFoy9zTkH7oJgh3k7l6w=="),
        ("argon2id m=102400 t=2 p=8", "argon2$argon2id$v=19$m=102400,t=2,p=8$UER4UEtUaDdQVE10d1VDV1U2M011Mw$dv8WlK8x0jAGNV1Y+2T6X92BMZUXzl7SahnLywwrtDo"),
        ("bcrypt_sha256 cost 12", "bcrypt_sha256$$2b$12$mcxQmumRZDHOmGA9iIADLu79KkkTPMrKkR5pxbzzuD3WPnzyXPhoK"),
    ]
    for (name, stored) in legacy {
        let parsed = try! LegacyHash(parsing: stored)
        Benchmark(
            "legacy verify: \(name)",
            configuration: .init(
                metrics: [.wallClock], timeUnits: .milliseconds, scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 5)
        ) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(parsed.verify("abcdEFGH.0123456789abcdefghijABCDEFGHIJkl")) }
        }
    }
}
