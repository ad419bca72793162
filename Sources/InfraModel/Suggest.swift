/// "Did you mean …": the nearest candidate by edit distance, if it is near enough
/// to be a plausible typo.
public enum Suggest {
    public static func nearest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let w = Array(word.utf8)
        var best: (String, Int)?
        for c in candidates {
            // Cheap length test first: a length difference larger than the allowed
            // distance can never match (this keeps suggestions fast among thousands of ids).
            let n = c.utf8.count
            if abs(n - w.count) > max(1, min(w.count, n) / 4 + 1) { continue }
            if let b = best, abs(n - w.count) > b.1 { continue }
            let d = c.utf8.withContiguousStorageIfAvailable { distance(w, $0) } ?? distance(w, Array(c.utf8))
            if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        // Allow about one typo per four characters, at least one.
        return d <= max(1, min(w.count, name.utf8.count) / 4 + 1) ? name : nil
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transposition).
    public static func distance<B: RandomAccessCollection>(_ a: [UInt8], _ b: B) -> Int where B.Element == UInt8, B.Index == Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[b.startIndex + j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[b.startIndex + j - 2], a[i - 2] == b[b.startIndex + j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
