/// XML 1.0 escaping.
public enum XML {
    /// Text content: `&`, `<`, `>` escaped; characters XML 1.0 cannot contain become U+FFFD.
    public static func text(_ s: String) -> String { escape(s, attribute: false) }

    /// An attribute value (for double quotes): also `"`, `'`, and tab/CR/LF as character
    /// references so that attribute-value normalisation keeps them.
    public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    private static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out.append("&amp;")
            case "<": out.append("&lt;")
            case ">": out.append("&gt;")
            case "\"" where attribute: out.append("&quot;")
            case "'" where attribute: out.append("&apos;")
            case "\n" where attribute: out.append("&#10;")
            case "\r": out.append("&#13;")
            case "\t" where attribute: out.append("&#9;")
            default:
                if isAllowed(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out.append("\u{FFFD}")
                }
            }
        }
        return out
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
    private static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
