import Foundation
import InfraModel

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
        // Built as bytes and decoded once: a country's scan report is megabytes, and
        // appending to a String piece by piece cost several times more.
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, into: &out, pretty: pretty, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }


    /// A member of a streamed object: a value, or an array whose elements are made when
    /// they are written, `batch` at a time.
    public enum StreamedMember: Sendable {
        case value(JSONValue)
        case elements(count: Int, batch: Int, make: @Sendable (Int) -> JSONValue)
    }

    /// `write(.object(members)) + "\n"`, byte for byte, handed to `sink` in pieces: the
    /// elements of each `.elements` array are made and written a batch at a time, the batch
    /// spread over the cores. A country's export or item graph (200 MB) is never held whole,
    /// as one tree or one String.
    public static func stream<E: Error>(_ members: [(String, StreamedMember)], pretty: Bool = true,
                                        to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, (key, member)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            newline(&out, pretty: pretty, depth: 1)
            appendQuoted(key, to: &out)
            append(pretty ? ": " : ":", to: &out)
            switch member {
            case let .value(value):
                write(value, into: &out, pretty: pretty, depth: 1)
            case let .elements(count, batch, make):
                if count == 0 {
                    append("[]", to: &out)
                    continue
                }
                out.append(UInt8(ascii: "["))
                try sink(out)
                out = []
                // Elements differ in size (a kommun of 150 items, Stockholm of 3,000): small chunks.
                try inParallelBatches(count, batch: batch, { indices -> [UInt8] in
                    var bytes: [UInt8] = []
                    for index in indices {
                        if index > 0 { bytes.append(UInt8(ascii: ",")) }
                        newline(&bytes, pretty: pretty, depth: 2)
                        write(make(index), into: &bytes, pretty: pretty, depth: 2)
                    }
                    return bytes
                }, emit: sink)
                newline(&out, pretty: pretty, depth: 1)
                out.append(UInt8(ascii: "]"))
            }
        }
        if members.isEmpty {
            out.append(UInt8(ascii: "}"))
        } else {
            newline(&out, pretty: pretty, depth: 0)
            out.append(UInt8(ascii: "}"))
        }
        out.append(0x0A)
        try sink(out)
    }

    /// `s` as a JSON string literal, including the surrounding quotes.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `s` escaped for use inside a JSON string literal, without the quotes.
    public static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        appendEscaped(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(s, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        // Most strings need no escaping at all: append their bytes whole (scanned as a
        // plain buffer; the generic UTF-8 view cost ten times more per byte).
        let plain = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            for b in bytes where b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true { return }
        if plain == nil, !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F }) {
            out.append(contentsOf: s.utf8)
            return
        }
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])  // \"
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])  // \\
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case ..<0x20, 0x7F:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default:
                // Multi-byte UTF-8 sequences never contain bytes below 0x80: copied as they are.
                out.append(byte)
            }
        }
    }

    private static func append(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func newline(_ out: inout [UInt8], pretty: Bool, depth: Int) {
        guard pretty else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    private static func write(_ value: JSONValue, into out: inout [UInt8], pretty: Bool, depth: Int) {
        switch value {
        case .null: append("null", to: &out)
        case let .bool(b): append(b ? "true" : "false", to: &out)
        case let .int(i): out.append(contentsOf: String(i).utf8)
        case let .double(d): out.append(contentsOf: format(d).utf8)
        case let .string(s): appendQuoted(s, to: &out)
        case let .array(items):
            if items.isEmpty { append("[]", to: &out); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, pretty: pretty, depth: depth + 1)
                write(item, into: &out, pretty: pretty, depth: depth + 1)
            }
            newline(&out, pretty: pretty, depth: depth)
            out.append(UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty { append("{}", to: &out); return }
            out.append(UInt8(ascii: "{"))
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(&out, pretty: pretty, depth: depth + 1)
                appendQuoted(key, to: &out)
                append(pretty ? ": " : ":", to: &out)
                write(item, into: &out, pretty: pretty, depth: depth + 1)
            }
            newline(&out, pretty: pretty, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// JSON has no NaN or infinity: those are written as `null`. Whole numbers
    /// within ±2^53 are written without a fraction (`3`, not `3.0`).
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 {
            return String(Int64(d))
        }
        return "\(d)"
    }
}
