import Foundation

/// What an id (of an organisation or an item) may be: `a`–`z`, digits and `-`, starting and
/// ending with a letter or digit, at most `maxLength` characters; and how one is made from a
/// name (`infra init`, and the suggestion when an id is not one).
public enum IDRules {
    public static let maxLength = 100

    /// Whether `s` is an id: `a`–`z`, digits and `-`, starting and ending with a letter or
    /// digit, at most `maxLength` characters (checked on bytes: every item's id is).
    public static func isValid(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in
            guard let first = u.first, let last = u.last, u.count <= maxLength else { return false }
            func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
            guard ok(first) && ok(last) else { return false }
            for c in u where !(ok(c) || c == 45) { return false }
            return true
        }
    }

    /// Lowercase ASCII slug; å/ä → a, ö/ø → o, other letters lose their accents (İ → i);
    /// anything else separates words with one `-`.
    public static func slug(_ s: String) -> String {
        var out = ""
        func separate() { if !out.isEmpty && !out.hasSuffix("-") { out.append("-") } }
        for ch in s.lowercased() {
            let ascii: String
            switch ch {
            // Letters of their own rather than accented ones: folding keeps them as they are.
            case "ø": ascii = "o"
            case "æ": ascii = "ae"
            case "œ": ascii = "oe"
            case "ß": ascii = "ss"
            case "ł": ascii = "l"
            case "đ", "ð": ascii = "d"
            case "þ": ascii = "th"
            case "ı": ascii = "i"
            // Accents are combining marks once decomposed: folding drops them.
            default: ascii = String(ch).folding(options: .diacriticInsensitive, locale: nil)
            }
            for scalar in ascii.unicodeScalars {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.properties.generalCategory != .nonspacingMark {
                    separate()
                }
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// `slug(s)` cut to the length an id may have, at a word where there is one.
    public static func id(_ s: String) -> String {
        let whole = slug(s), limit = maxLength
        guard whole.count > limit else { return whole }
        var cut = whole.prefix(limit)
        if let dash = cut.lastIndex(of: "-"), cut.distance(from: cut.startIndex, to: dash) >= limit / 2 { cut = cut[..<dash] }
        while cut.hasSuffix("-") { cut = cut.dropLast() }
        return String(cut)
    }
}
