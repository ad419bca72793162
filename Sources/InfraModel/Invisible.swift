/// Characters a reader cannot see or tell from a space, which text pasted from a word
/// processor or a web page brings along: named, so that a message about a key or an id
/// that looks right can say what is wrong with it.
public enum Invisible {
    static let names: [UInt32: String] = [
        0x00A0: "no-break space", 0x00AD: "soft hyphen", 0x2007: "figure space", 0x2009: "thin space",
        0x200A: "hair space", 0x200B: "zero-width space", 0x200C: "zero-width non-joiner", 0x200D: "zero-width joiner",
        0x2060: "word joiner", 0x202F: "narrow no-break space", 0x3000: "ideographic space", 0xFEFF: "zero-width no-break space",
    ]

    /// "a no-break space (U+00A0) at character 1" for the first such character of `text`,
    /// or nil when it has none. Characters count from 1, as columns do.
    public static func describe(_ text: String) -> String? {
        var count = 0
        for (k, scalar) in text.unicodeScalars.enumerated() {
            guard let name = names[scalar.value] else { continue }
            count += 1
            if count == 1 {
                let others = text.unicodeScalars.dropFirst(k + 1).filter { names[$0.value] != nil }.count
                let code = String(scalar.value, radix: 16, uppercase: true)
                return "a \(name) (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)) at character \(k + 1)"
                    + (others > 0 ? " and \(others) more like it" : "")
            }
        }
        return nil
    }
}
