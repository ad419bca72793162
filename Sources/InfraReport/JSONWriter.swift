/// A JSON value whose objects keep their keys in the order they were written.
///
/// Reports are read by people as well as machines, so key order is part of the
/// output format; `JSONEncoder` cannot promise it, this can.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in output order. Keys are not de-duplicated.
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(v): hasher.combine(1); hasher.combine(v)
        case let .int(v): hasher.combine(2); hasher.combine(v)
        case let .double(v): hasher.combine(3); hasher.combine(v)
        case let .string(v): hasher.combine(4); hasher.combine(v)
        case let .array(v): hasher.combine(5); hasher.combine(v)
        case let .object(v):
            hasher.combine(6)
            hasher.combine(v.count)
            for (k, x) in v { hasher.combine(k); hasher.combine(x) }
        }
    }

    /// `.string(value)`, or `.null` when `value` is nil.
    public static func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
    /// `.int(value)`, or `.null` when `value` is nil.
    public static func int(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
    /// An array of strings.
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Dictionary literals keep their written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}

/// Writes `JSONValue`s as UTF-8 JSON text: non-ASCII characters are written as
/// themselves, `/` is not escaped, control characters are.
public enum JSONWriter {
    /// Serialises `value`. Pretty output uses two-space indentation and `"key": value`;
    /// empty arrays and objects are written as `[]` and `{}`. No trailing newline.
    public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, depth: 0)
        return out
    }

    /// `s` as a JSON string literal, including the surrounding quotes.
    public static func quote(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &out)
        return out
    }

    /// `s` escaped for use inside a JSON string literal, without the quotes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        appendEscaped(s, to: &out)
        return out
    }

    private static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        appendEscaped(s, to: &out)
        out.append("\"")
    }

    private static let hexDigits = Array("0123456789abcdef")

    private static func appendEscaped(_ s: String, to out: inout String) {
        // Most strings need no escaping at all: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(s)
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let v = Int(scalar.value)
                    out.append("\\u00")
                    out.append(hexDigits[v >> 4])
                    out.append(hexDigits[v & 0xF])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    private static func newline(_ out: inout String, pretty: Bool, depth: Int) {
        guard pretty else { return }
        out.append("\n")
        out.append(String(repeating: "  ", count: depth))
    }

    private static func write(_ value: JSONValue, into out: inout String, pretty: Bool, depth: Int) {
        switch value {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .int(i): out.append(String(i))
        case let .double(d): out.append(format(d))
        case let .string(s): appendQuoted(s, to: &out)
        case let .array(items):
            if items.isEmpty { out.append("[]"); return }
            out.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, pretty: pretty, depth: depth + 1)
                write(item, into: &out, pretty: pretty, depth: depth + 1)
            }
            newline(&out, pretty: pretty, depth: depth)
            out.append("]")
        case let .object(pairs):
            if pairs.isEmpty { out.append("{}"); return }
            out.append("{")
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, pretty: pretty, depth: depth + 1)
                appendQuoted(key, to: &out)
                out.append(pretty ? ": " : ":")
                write(item, into: &out, pretty: pretty, depth: depth + 1)
            }
            newline(&out, pretty: pretty, depth: depth)
            out.append("}")
        }
    }

    /// JSON has no NaN or infinity: those are written as `null`. Whole numbers
    /// within ±2^53 are written without a fraction (`3`, not `3.0`).
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 {
            return String(Int64(d))
        }
        return "\(d)"
    }
}
