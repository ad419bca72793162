/// "Did you mean …": the nearest candidate by edit distance, if it is near enough
/// to be a plausible typo.
public enum Suggest {
    /// Allow about one typo per four characters, at least one.
    static func allowed(_ a: Int, _ b: Int) -> Int { max(1, min(a, b) / 4 + 1) }

    public static func nearest<S: Sequence>(to word: String, in candidates: S) -> String? where S.Element == String {
        let w = Array(word.utf8)
        var best: (name: String, distance: Int)?
        // Three DP rows reused for every candidate: suggestions run over thousands of ids.
        var rows = [Int](repeating: 0, count: 3 * 128)
        // Byte counts of `word`; a candidate's counts differ from them by at most two per edit.
        var counts = [Int](repeating: 0, count: 256)
        for b in w { counts[Int(b)] += 1 }
        for c in candidates {
            let n = c.utf8.count
            // The length difference is a lower bound of the distance: most candidates stop here.
            var limit = allowed(w.count, n)
            if let best { limit = min(limit, best.distance) }
            if abs(n - w.count) > limit { continue }
            let d = c.utf8.withContiguousStorageIfAvailable { bytes -> Int in
                // Written in other case (Inera/SITHS for inera/siths): nearer than any typo.
                if n == w.count, sameIgnoringASCIICase(w, bytes) { return -1 }
                // Cheaper bound next: half the difference in byte counts, then the exact distance.
                if (countDifference(bytes, from: &counts, total: w.count) + 1) / 2 > limit { return limit + 1 }
                return distance(w, bytes, cutoff: limit, rows: &rows)
            } ?? distance(w, Array(c.utf8), cutoff: limit, rows: &rows)
            if d < 0 { return c }
            guard d <= limit else { continue }
            if best == nil || d < best!.distance || (d == best!.distance && c < best!.name) { best = (c, d) }
        }
        return best?.name
    }

    static func sameIgnoringASCIICase(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
        for i in 0..<a.count where lower(a[i]) != lower(b[i]) { return false }
        return true
    }

    /// The L1 distance between the byte counts of `bytes` and those in `counts` (which
    /// sum to `total`), leaving `counts` as it found them.
    static func countDifference(_ bytes: UnsafeBufferPointer<UInt8>, from counts: inout [Int], total: Int) -> Int {
        counts.withUnsafeMutableBufferPointer { counts in
            var difference = total
            for b in bytes {
                difference += counts[Int(b)] > 0 ? -1 : 1
                counts[Int(b)] -= 1
            }
            for b in bytes { counts[Int(b)] += 1 }
            return difference
        }
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent transposition).
    public static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var rows: [Int] = []
        return distance(a, b, cutoff: Int.max, rows: &rows)
    }

    /// The distance, or some value above `cutoff` as soon as it must exceed it.
    static func distance<B: RandomAccessCollection>(_ a: [UInt8], _ b: B, cutoff: Int, rows: inout [Int]) -> Int
    where B.Element == UInt8, B.Index == Int {
        let m = b.count
        if a.isEmpty { return m }
        if m == 0 { return a.count }
        if rows.count < 3 * (m + 1) { rows = [Int](repeating: 0, count: 3 * (m + 1)) }
        let base = b.startIndex
        return rows.withUnsafeMutableBufferPointer { buf -> Int in
            var prev2 = 0, prev = m + 1, cur = 2 * (m + 1)
            for j in 0...m { buf[prev + j] = j }
            for i in 1...a.count {
                buf[cur] = i
                var rowMin = i
                for j in 1...m {
                    let cost = a[i - 1] == b[base + j - 1] ? 0 : 1
                    var v = min(buf[prev + j] + 1, buf[cur + j - 1] + 1, buf[prev + j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[base + j - 2], a[i - 2] == b[base + j - 1] {
                        v = min(v, buf[prev2 + j - 2] + 1)
                    }
                    buf[cur + j] = v
                    rowMin = min(rowMin, v)
                }
                // Every later row is at least this row's minimum minus nothing: give up early.
                if rowMin > cutoff { return cutoff + 1 }
                (prev2, prev, cur) = (prev, cur, prev2)
            }
            return buf[prev + m]
        }
    }
}
