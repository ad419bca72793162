/// XML 1.0 escaping, and the variant Graphviz's HTML-like labels need.
public enum XML {
    /// Text content: `&`, `<`, `>` escaped; characters XML 1.0 cannot contain become U+FFFD.
    public static func text(_ s: String) -> String { escape(s, .text) }

    /// An attribute value (for double quotes): also `"`, `'`, and tab/CR/LF as character
    /// references so that attribute-value normalisation keeps them.
    public static func attribute(_ s: String) -> String { escape(s, .attribute) }

    /// Text of a Graphviz HTML-like label: markup and both quotes escaped (`'` as `&#39;`,
    /// which Graphviz reads), `\` doubled, control and non-XML characters become spaces.
    public static func graphvizLabel(_ s: String) -> String { escape(s, .graphvizLabel) }

    private enum Flavour { case text, attribute, graphvizLabel }

    private static func escape(_ s: String, _ flavour: Flavour) -> String {
        // Markup and control characters are rare in names and values: without them, the
        // text is returned whole (a country's GraphML escapes over a million values). A lead
        // byte 0xEF starts U+F000…U+FFFF, among them U+FFFE and U+FFFF, which XML does not
        // allow: such text takes the scalar loop.
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27
            || $0 < 0x20 || $0 == 0x7F || $0 == 0xEF || $0 == 0x5C }) {
            return s
        }
        let attribute = flavour == .attribute, label = flavour == .graphvizLabel
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out.append("&amp;")
            case "<": out.append("&lt;")
            case ">": out.append("&gt;")
            case "\"" where attribute || label: out.append("&quot;")
            case "'" where attribute: out.append("&apos;")
            case "'" where label: out.append("&#39;")
            case "\\" where label: out.append("\\\\")  // Graphviz expands `\G`, `\N` … in labels too
            case _ where label && !(0x20...0xD7FF ~= scalar.value || 0xE000...0xFFFD ~= scalar.value || scalar.value >= 0x10000):
                out.append(" ")
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
