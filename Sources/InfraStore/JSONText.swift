// Lists in the database are JSON text, so analysts can open them with SQLite's json_each().
// These helpers write and read exactly the two shapes the store uses — an array of strings
// and an object of string → number — without going through Foundation for every row.

enum JSONText {
    static func array(_ values: [String]) -> String {
        if values.isEmpty { return "[]" }
        var out = "["
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(",") }
            quote(v, into: &out)
        }
        out.append("]")
        return out
    }

    static func object(_ pairs: [(key: String, share: Double)]) -> String {
        if pairs.isEmpty { return "{}" }
        var out = "{"
        for (i, p) in pairs.enumerated() {
            if i > 0 { out.append(",") }
            quote(p.key, into: &out)
            out.append(":")
            out.append(p.share.isFinite ? "\(p.share)" : "null")
        }
        out.append("}")
        return out
    }

    static func quote(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    static func quote(_ s: String, into out: inout String) {
        out.append("\"")
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(s)
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out.append("\"")
    }

    /// Reads `["a","b"]`; anything else gives [].
    static func parseArray(_ text: String) -> [String] {
        if text == "[]" || text.isEmpty { return [] }
        var reader = Reader(Array(text.utf8))
        return reader.stringArray() ?? []
    }

    /// Reads `{"a":0.5}`; anything else gives [].
    static func parseObject(_ text: String) -> [(key: String, share: Double)] {
        if text == "{}" || text.isEmpty { return [] }
        var reader = Reader(Array(text.utf8))
        return reader.numberObject() ?? []
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func expect(_ c: UInt8) -> Bool {
            skipSpace()
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func string() -> String? {
            guard expect(0x22) else { return nil }
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if c == 0x22 { return String(decoding: out, as: UTF8.self) }
                guard c == 0x5C else { out.append(c); continue }
                guard i < bytes.count else { return nil }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else { return nil }
                    i += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            }
            return nil
        }

        mutating func stringArray() -> [String]? {
            guard expect(UInt8(ascii: "[")) else { return nil }
            var out: [String] = []
            if expect(UInt8(ascii: "]")) { return out }
            repeat {
                guard let s = string() else { return nil }
                out.append(s)
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "]")) ? out : nil
        }

        mutating func number() -> Double? {
            skipSpace()
            let start = i
            while i < bytes.count, let c = Optional(bytes[i]), (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45 {
                i += 1
            }
            return Double(String(decoding: bytes[start..<i], as: UTF8.self))
        }

        mutating func numberObject() -> [(key: String, share: Double)]? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var out: [(key: String, share: Double)] = []
            if expect(UInt8(ascii: "}")) { return out }
            repeat {
                guard let k = string(), expect(UInt8(ascii: ":")), let v = number() else { return nil }
                out.append((k, v))
            } while expect(UInt8(ascii: ","))
            return expect(UInt8(ascii: "}")) ? out : nil
        }
    }
}
