import InfraModel

/// Matching findings by fingerprint, counting repeats: a fingerprint twice before and three
/// times after is one new finding. Shared by `infra diff` (appeared, disappeared) and the
/// findings baseline (new, accepted, gone).
struct FingerprintCounts {
    private var remaining: [String: Int] = [:]

    init(_ fingerprints: some Sequence<String>) {
        for f in fingerprints { remaining[f, default: 0] += 1 }
    }

    /// Splits `items`, in order, into those whose fingerprint still has a count left (each
    /// taking one) and the rest.
    mutating func take<T>(_ items: [T], fingerprint: (T) -> String) -> (matched: [T], unmatched: [T]) {
        var matched: [T] = [], unmatched: [T] = []
        for item in items {
            let f = fingerprint(item)
            if let n = remaining[f], n > 0 {
                remaining[f] = n - 1
                matched.append(item)
            } else {
                unmatched.append(item)
            }
        }
        return (matched, unmatched)
    }
}
