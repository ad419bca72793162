import Foundation
import Testing

// `infra schema` against `infra validate`: small inventories, each read twice, by the built
// infra and as an editor's YAML language server reads it (YAML 1.2 core: a plain `0114` is the
// number 114, `true` a boolean, `yes` text, `~` null) and checked against the schema by a
// small JSON Schema evaluator below. Both must reach the same verdict; the few spellings a
// schema cannot tell apart are listed with the reason. With Python's jsonschema installed,
// an optional test checks the evaluator's verdicts against jsonschema's.

/// A YAML document as written: scalars are kept as their source text (`0114`, `"97 %"`, `~`).
indirect enum Y {
    case s(String)
    case m([(String, Y)])
    case l([Y])

    /// Block-style YAML.
    var yaml: String { lines(indent: 0).joined(separator: "\n") + "\n" }

    private func lines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        func inline(_ v: Y) -> String? {
            switch v {
            case let .s(raw): raw
            case let .m(p) where p.isEmpty: "{}"
            case let .l(i) where i.isEmpty: "[]"
            default: nil
            }
        }
        switch self {
        case let .s(raw):
            return [pad + raw]
        case let .m(pairs):
            return pairs.flatMap { k, v -> [String] in
                if let text = inline(v) { return [text.isEmpty ? "\(pad)\(k):" : "\(pad)\(k): \(text)"] }
                return ["\(pad)\(k):"] + v.lines(indent: indent + 2)
            }
        case let .l(items):
            return items.flatMap { item -> [String] in
                if let text = inline(item) { return [text.isEmpty ? "\(pad)-" : "\(pad)- \(text)"] }
                var sub = item.lines(indent: indent + 2)
                sub[0] = pad + "- " + sub[0].dropFirst(indent + 2)
                return sub
            }
        }
    }

    /// The value as the YAML language server reads it.
    var json: J {
        switch self {
        case let .s(raw): Self.core(raw)
        case let .m(pairs): .object(Dictionary(pairs.map { ($0.0, $0.1.json) }, uniquingKeysWith: { a, _ in a }))
        case let .l(items): .array(items.map(\.json))
        }
    }

    /// YAML 1.2's core schema, as the `yaml` package resolves it; quoted scalars are text.
    static func core(_ raw: String) -> J {
        if raw.hasPrefix("\"") {
            return .string((try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: .fragmentsAllowed)) as? String ?? raw)
        }
        if raw.hasPrefix("'") { return .string(String(raw.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")) }
        func whole(_ pattern: String) -> Bool { raw.range(of: "^(?:\(pattern))$", options: .regularExpression) != nil }
        if whole("~|[Nn]ull|NULL|") { return .null }
        if whole("[Tt]rue|TRUE") { return .bool(true) }
        if whole("[Ff]alse|FALSE") { return .bool(false) }
        if whole("0x[0-9a-fA-F]+") { return .number(Double(UInt64(raw.dropFirst(2), radix: 16)!)) }
        if whole("0o[0-7]+") { return .number(Double(UInt64(raw.dropFirst(2), radix: 8)!)) }
        if whole("[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?") { return .number(Double(raw)!) }
        if whole("[-+]?\\.(?:inf|Inf|INF)") { return .number(raw.hasPrefix("-") ? -.infinity : .infinity) }
        if whole("\\.nan|\\.NaN|\\.NAN") { return .number(.nan) }
        return .string(raw)
    }
}

/// A JSON value.
enum J: Decodable {
    case null, bool(Bool), number(Double), string(String), array([J]), object([String: J])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([J].self) { self = .array(a) }
        else { self = .object(try c.decode([String: J].self)) }
    }

    subscript(key: String) -> J? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// JSON text (`NaN` and `Infinity` as Python's json module writes them).
    var text: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
            if d == d.rounded(), abs(d) < 1e15 { return d.sign == .minus && d == 0 ? "-0.0" : String(Int(d)) }
            return "\(d)"
        case let .string(s):
            return String(decoding: try! JSONSerialization.data(withJSONObject: s, options: .fragmentsAllowed), as: UTF8.self)
        case let .array(a): return "[" + a.map(\.text).joined(separator: ",") + "]"
        case let .object(o): return "{" + o.sorted { $0.key < $1.key }.map { J.string($0.key).text + ":" + $0.value.text }.joined(separator: ",") + "}"
        }
    }

    static func equal(_ a: J, _ b: J) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case let (.object(x), .object(y)): x.count == y.count && x.allSatisfy { k, v in y[k].map { equal(v, $0) } ?? false }
        default: false
        }
    }
}

/// The JSON Schema keywords `infra schema` uses, evaluated as draft 2020-12 does. A keyword it
/// does not know is an issue, so the schema cannot grow one that this test silently ignores.
final class SchemaEvaluator {
    let root: J
    private var regexes: [String: NSRegularExpression] = [:]
    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "default", "errorMessage", "$comment", "examples"]

    init(_ root: J) { self.root = root }

    func valid(_ x: J) -> Bool { valid(x, root) }

    func valid(_ x: J, _ schema: J) -> Bool {
        guard case let .object(s) = schema else {
            if case let .bool(b) = schema { return b }
            Issue.record("not a schema: \(schema.text.prefix(200))")
            return false
        }
        for key in s.keys where !Self.known.contains(key) && !Self.annotations.contains(key) {
            Issue.record("the evaluator does not know the keyword `\(key)`")
        }
        if let t = s["type"] {
            let types: [String] = switch t {
            case let .string(one): [one]
            case let .array(many): many.compactMap { if case let .string(v) = $0 { v } else { nil } }
            default: []
            }
            guard types.contains(where: { Self.has(x, type: $0) }) else { return false }
        }
        if case let .array(values)? = s["enum"], !values.contains(where: { J.equal(x, $0) }) { return false }
        if let c = s["const"], !J.equal(x, c) { return false }
        if case let .string(text) = x {
            if case let .string(pattern)? = s["pattern"], !matches(text, pattern) { return false }
            if case let .number(n)? = s["maxLength"], Double(text.unicodeScalars.count) > n { return false }
            if case let .number(n)? = s["minLength"], Double(text.unicodeScalars.count) < n { return false }
        }
        if case let .number(d) = x {
            if case let .number(n)? = s["minimum"], d < n { return false }
            if case let .number(n)? = s["maximum"], d > n { return false }
        }
        if case let .array(all)? = s["allOf"], !all.allSatisfy({ valid(x, $0) }) { return false }
        if case let .array(any)? = s["anyOf"], !any.contains(where: { valid(x, $0) }) { return false }
        if case let .array(one)? = s["oneOf"], one.filter({ valid(x, $0) }).count != 1 { return false }
        if let not = s["not"], valid(x, not) { return false }
        if let condition = s["if"] {
            if valid(x, condition) {
                if let then = s["then"], !valid(x, then) { return false }
            } else if let otherwise = s["else"], !valid(x, otherwise) { return false }
        }
        if case let .object(o) = x {
            if case let .array(required)? = s["required"] {
                for case let .string(key) in required where o[key] == nil { return false }
            }
            let properties: [String: J] = if case let .object(p)? = s["properties"] { p } else { [:] }
            let patterns: [String: J] = if case let .object(p)? = s["patternProperties"] { p } else { [:] }
            for (key, value) in o {
                var evaluated = false
                if let sub = properties[key] {
                    evaluated = true
                    if !valid(value, sub) { return false }
                }
                for (pattern, sub) in patterns where matches(key, pattern) {
                    evaluated = true
                    if !valid(value, sub) { return false }
                }
                if !evaluated, let additional = s["additionalProperties"], !valid(value, additional) { return false }
            }
        }
        if case let .array(a) = x, let items = s["items"], !a.allSatisfy({ valid($0, items) }) { return false }
        return true
    }

    static let known: Set<String> = ["type", "enum", "const", "pattern", "maxLength", "minLength", "minimum", "maximum",
                                     "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
                                     "required", "properties", "patternProperties", "additionalProperties", "items"]

    static func has(_ x: J, type: String) -> Bool {
        switch (x, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"): true
        case let (.number(d), "integer"): d.isFinite && d == d.rounded()
        default: false
        }
    }

    private func matches(_ text: String, _ pattern: String) -> Bool {
        let regex: NSRegularExpression
        if let cached = regexes[pattern] {
            regex = cached
        } else {
            guard let made = try? NSRegularExpression(pattern: pattern) else {
                Issue.record("pattern does not compile: \(pattern)")
                return false
            }
            regexes[pattern] = made
            regex = made
        }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

@Suite("infra schema agrees with infra validate")
struct SchemaAgreementTests {
    /// What infra and the schema are expected to say about one inventory.
    enum Expect: Equatable {
        case accepted
        case rejected
        /// infra rejects it, the schema cannot: the editor sees the value of an accepted
        /// spelling (`1.0` is 1), or the rule needs more than the file (a reference, a checksum).
        case onlyInfraRejects(String)
        /// infra accepts it, the schema does not offer that spelling.
        case onlyInfraAccepts(String)
    }

    struct Case {
        let label: String
        let inventory: Y
        /// Other files of the same run (the organisation's full header, a referenced organisation).
        var companions: [Y] = []
        let expect: Expect
    }

    // MARK: - Building inventories

    static let header: [(String, Y)] = [("id", .s("ange")), ("name", .s("Ånge kommun")), ("type", .s("kommun")), ("code", .s("\"2260\""))]

    static func item(_ id: String = "srv", capability: String = "datacenter", _ extra: [(String, Y)] = []) -> Y {
        .m([("id", .s(id)), ("name", .s("Server")), ("capability", .s(capability))] + extra)
    }

    static func inventory(version: Y? = .s("1"), header: [(String, Y)]? = Self.header, top: [(String, Y)] = [],
                          services: [Y]? = nil, soft: [Y]? = nil, hard: [Y]? = [item()]) -> Y {
        var pairs: [(String, Y)] = []
        if let version { pairs.append(("inventory", version)) }
        if let header { pairs.append(("organisation", .m(header))) }
        if let services { pairs.append(("services", .l(services))) }
        if let soft { pairs.append(("soft", .l(soft))) }
        if let hard { pairs.append(("hard", .l(hard))) }
        return .m(pairs + top)
    }

    /// The header with `changes` applied: a nil value removes the key.
    static func header(_ changes: [(String, Y?)]) -> [(String, Y)] {
        var pairs = header
        for (key, value) in changes {
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                if let value { pairs[i].1 = value } else { pairs.remove(at: i) }
            } else if let value {
                pairs.append((key, value))
            }
        }
        return pairs
    }

    /// One hard item with `key: raw`, next to the item `srv` it may depend on.
    static func field(_ key: String, _ value: Y, _ expect: Expect, _ label: String? = nil) -> Case {
        Case(label: label ?? "\(key): \(value.yaml.dropLast())", inventory: inventory(hard: [item(), item("probe", [(key, value)])]),
             expect: expect)
    }

    static func list(_ raws: String...) -> Y { .l(raws.map { .s($0) }) }

    /// A second organisation, with the full header, for references to it.
    static func organisation(_ id: String) -> Y {
        inventory(header: [("id", .s(id)), ("name", .s("Förbundet")), ("type", .s("forbund"))], hard: [item()])
    }

    static let fullAnge = inventory(hard: [item("other")])

    static let cases: [Case] = {
        var c: [Case] = []
        // Top level.
        c.append(Case(label: "a minimal inventory", inventory: inventory(), expect: .accepted))
        c.append(Case(label: "inventory: \"1\"", inventory: inventory(version: .s("\"1\"")), expect: .accepted))
        c.append(Case(label: "inventory: '1'", inventory: inventory(version: .s("'1'")), expect: .accepted))
        for raw in ["2", "\"1.0\"", "~", "true", "\"01\""] {
            c.append(Case(label: "inventory: \(raw)", inventory: inventory(version: .s(raw)), expect: .rejected))
        }
        c.append(Case(label: "inventory: [1]", inventory: inventory(version: list("1")), expect: .rejected))
        for raw in ["1.0", "01", "+1", "0x1", "1e0"] {
            c.append(Case(label: "inventory: \(raw)", inventory: inventory(version: .s(raw)),
                          expect: .onlyInfraRejects("YAML 1.2 reads \(raw) as the number 1")))
        }
        c.append(Case(label: "no inventory key", inventory: inventory(version: nil), expect: .rejected))
        c.append(Case(label: "no organisation", inventory: inventory(header: nil), expect: .rejected))
        c.append(Case(label: "organisation: ~", inventory: .m([("inventory", .s("1")), ("organisation", .s("~"))]), expect: .rejected))
        c.append(Case(label: "an x- key at the top", inventory: inventory(top: [("x-note", .m([("a", list("1", "~"))]))]), expect: .accepted))
        c.append(Case(label: "X-note at the top", inventory: inventory(top: [("X-note", .s("1"))]), expect: .rejected))
        c.append(Case(label: "an unknown key at the top", inventory: inventory(top: [("servces", .l([]))]), expect: .rejected))
        c.append(Case(label: "null and empty layers", inventory: .m([("inventory", .s("1")), ("organisation", .m(header)),
                                                                     ("services", .s("~")), ("soft", .s("")), ("hard", .l([]))]),
                      expect: .accepted))
        c.append(Case(label: "a null entry in a layer", inventory: inventory(hard: [item(), .s("~")]), expect: .rejected))
        c.append(Case(label: "a layer that is a mapping", inventory: .m([("inventory", .s("1")), ("organisation", .m(header)), ("hard", .m([]))]),
                      expect: .rejected))
        c.append(Case(label: "a scalar item", inventory: inventory(hard: [item(), .s("srv")]), expect: .rejected))
        c.append(Case(label: "items in all layers",
                      inventory: inventory(services: [item("skola", capability: "school-platform", [("depends_on", list("arkiv"))])],
                                           soft: [item("arkiv", capability: "e-archive", [("depends_on", list("srv"))])]),
                      expect: .accepted))

        // The header.
        for (raw, expect) in [("123", Expect.accepted), ("0114", .accepted), ("true", .accepted), ("a-1", .accepted),
                              ("Ange", .rejected), ("~", .rejected), ("ånge", .rejected), ("-ange", .rejected), ("1.5", .rejected),
                              (String(repeating: "a", count: 100), .accepted), (String(repeating: "a", count: 101), .rejected)] {
            c.append(Case(label: "organisation id: \(raw.prefix(20))", inventory: inventory(header: header([("id", .s(raw))])), expect: expect))
        }
        // A partial header's fields are not read: repeating the full header's is harmless, other
        // values would be lost (the full header is in another file, which the schema does not see).
        c.append(Case(label: "a partial header next to the full one",
                      inventory: inventory(header: [("id", .s("ange")), ("code", .s("whatever")), ("county", .s("xyz")),
                                                    ("org_number", .s("abc")), ("type", .s("~"))]),
                      companions: [fullAnge], expect: .onlyInfraRejects("the fields differ from the full header's, in another file")))
        c.append(Case(label: "a partial header repeating the full one's code",
                      inventory: inventory(header: [("id", .s("ange")), ("code", .s("\"2260\""))]),
                      companions: [fullAnge], expect: .accepted))
        c.append(Case(label: "a name without a type", inventory: inventory(header: header([("type", nil), ("code", nil)])), companions: [fullAnge],
                      expect: .rejected))
        c.append(Case(label: "a type without a name", inventory: inventory(header: header([("name", nil)])), companions: [fullAnge],
                      expect: .rejected))
        c.append(Case(label: "name: ~ with a type", inventory: inventory(header: header([("name", .s("~"))])), companions: [fullAnge],
                      expect: .rejected))
        c.append(Case(label: "type: Kommun", inventory: inventory(header: header([("type", .s("Kommun"))])), expect: .rejected))
        // A kommun's code, name and county.
        for (raw, expect) in [("2260", Expect.accepted), ("\"2260\"", .accepted), ("'2260'", .accepted), ("\"0000\"", .rejected),
                              ("\"226\"", .rejected), ("~", .rejected), ("ABC", .rejected)] {
            c.append(Case(label: "kommun code: \(raw)", inventory: inventory(header: header([("code", .s(raw))])), expect: expect))
        }
        c.append(Case(label: "a kommun without a code", inventory: inventory(header: header([("code", nil)])), expect: .rejected))
        let vasby: [(String, Y?)] = [("id", .s("upplands-vasby")), ("name", .s("Upplands Väsby kommun"))]
        c.append(Case(label: "code: 0114 unquoted", inventory: inventory(header: header(vasby + [("code", .s("0114"))])), expect: .accepted))
        c.append(Case(label: "code: 114", inventory: inventory(header: header(vasby + [("code", .s("114"))])),
                      expect: .onlyInfraRejects("YAML 1.2 reads 0114 and 114 alike")))
        let kommunName = Expect.onlyInfraRejects("the schema leaves a kommun's name to infra (290 patterns: ~330 KB)")
        for (name, expect) in [("ÅNGE KOMMUN", Expect.accepted), ("Kommunen i Ånge", .accepted), ("Sundsvalls kommun", kommunName),
                               ("Ange kommun", kommunName), ("2260", kommunName)] {
            c.append(Case(label: "kommun name: \(name)", inventory: inventory(header: header([("name", .s(name))])), expect: expect))
        }
        for (name, expect) in [("Falu kommun", Expect.accepted), ("Falun", .accepted), ("Falu", kommunName)] {
            c.append(Case(label: "kommun 2080 name: \(name)",
                          inventory: inventory(header: header([("id", .s("falun")), ("name", .s(name)), ("code", .s("\"2080\""))])),
                          expect: expect))
        }
        for (raw, expect) in [("\"22\"", Expect.accepted), ("22", .accepted), ("~", .accepted), ("\"01\"", .rejected), ("\"99\"", .rejected)] {
            c.append(Case(label: "kommun county: \(raw)", inventory: inventory(header: header([("county", .s(raw))])), expect: expect))
        }
        // A region.
        let region = header([("id", .s("rvn")), ("name", .s("Region Västernorrland")), ("type", .s("region")), ("code", .s("\"22\""))])
        c.append(Case(label: "a region", inventory: inventory(header: region), expect: .accepted))
        for (changes, expect) in [([("code", Y.s("22"))], Expect.accepted), ([("code", .s("\"02\""))], .rejected),
                                  ([("code", .s("\"2260\""))], .rejected), ([("name", .s("Region Stockholm"))], .rejected),
                                  ([("county", .s("22"))], .accepted), ([("county", .s("\"23\""))], .rejected)] {
            var h = region
            for (k, v) in changes { h.removeAll { $0.0 == k }; h.append((k, v)) }
            c.append(Case(label: "region \(changes.map { "\($0.0): \($0.1.yaml.dropLast())" })", inventory: inventory(header: h), expect: expect))
        }
        // Other types: any code; a county is a länskod.
        let agency = [("id", Y.s("digg")), ("name", .s("Myndigheten för digital förvaltning")), ("type", .s("myndighet"))]
        for (extra, expect) in [([("code", Y.s("ABC"))], Expect.accepted), ([("code", .s("5"))], .accepted),
                                ([("county", .s("\"22\""))], .accepted), ([("county", .s("22"))], .accepted),
                                ([("county", .s("\"99\""))], .rejected), ([("county", .s("Stockholm"))], .rejected),
                                ([("org_number", .s("\"202100-5026\""))], .accepted), ([("org_number", .s("2021005026"))], .rejected),
                                ([("org_number", .s("\"2021005026\""))], .rejected),
                                ([("org_number", .s("202100-5026"))], .accepted), ([("org_number", .s("\"202100-502\""))], .rejected),
                                ([("org_number", .s("abc"))], .rejected),
                                ([("org_number", .s("\"202100-5027\""))], .onlyInfraRejects("the Luhn check digit"))] {
            c.append(Case(label: "myndighet \(extra.map { "\($0.0): \($0.1.yaml.dropLast())" })",
                          inventory: inventory(header: agency + extra), expect: expect))
        }
        // References to other organisations.
        c.append(Case(label: "parent: 2024 (an organisation with a numeric id)",
                      inventory: inventory(header: header([("parent", .s("2024"))])), companions: [organisation("2024")], expect: .accepted))
        c.append(Case(label: "parent: ~", inventory: inventory(header: header([("parent", .s("~"))])), expect: .accepted))
        c.append(Case(label: "parent: Bad Parent", inventory: inventory(header: header([("parent", .s("Bad Parent"))])), expect: .rejected))
        c.append(Case(label: "parent: nobody", inventory: inventory(header: header([("parent", .s("nobody"))])),
                      expect: .onlyInfraRejects("the parent must be an organisation of the scan")))
        c.append(Case(label: "members: [2024, ~]", inventory: inventory(header: header([("members", list("2024", "~"))])),
                      companions: [organisation("2024")], expect: .accepted))
        c.append(Case(label: "members: 2024", inventory: inventory(header: header([("members", .s("2024"))])),
                      companions: [organisation("2024")], expect: .rejected))
        c.append(Case(label: "members: [Foo Bar]", inventory: inventory(header: header([("members", list("Foo Bar"))])), expect: .rejected))
        c.append(Case(label: "contact: 08-123 45", inventory: inventory(header: header([("contact", .s("08-123 45"))])), expect: .accepted))
        c.append(Case(label: "contact: [a]", inventory: inventory(header: header([("contact", list("a"))])), expect: .rejected))
        c.append(Case(label: "an x- key in the header", inventory: inventory(header: header([("x-owner", .m([("a", .s("1"))]))])), expect: .accepted))
        c.append(Case(label: "an unknown key in the header", inventory: inventory(header: header([("kod", .s("1"))])), expect: .rejected))

        // Items.
        for (raw, expect) in [("123", Expect.accepted), ("0114", .accepted), ("true", .accepted), ("false", .accepted), ("1e3", .accepted),
                              ("0x1f", .accepted), ("0o17", .accepted), ("a-b", .accepted), ("\"123\"", .accepted),
                              ("Bad Id", .rejected), ("-5", .rejected), ("1.5", .rejected), ("~", .rejected), ("a_b", .rejected),
                              ("1.0", .onlyInfraRejects("YAML 1.2 reads 1.0 as 1")), ("True", .onlyInfraRejects("YAML 1.2 reads True as true")),
                              ("1e-3", .onlyInfraAccepts("YAML 1.2 reads 1e-3 as 0.001; the schema takes whole numbers only"))] {
            c.append(Case(label: "item id: \(raw)", inventory: inventory(hard: [item(), item(raw)]), expect: expect))
        }
        c.append(Case(label: "an item without an id", inventory: inventory(hard: [.m([("name", .s("X")), ("capability", .s("datacenter"))])]),
                      expect: .rejected))
        for (key, expect) in [("name", Expect.rejected), ("capability", .rejected)] {
            c.append(Case(label: "an item without \(key)",
                          inventory: inventory(hard: [.m([("id", .s("a")), (key == "name" ? "capability" : "name", .s("datacenter"))])]),
                          expect: expect))
        }
        for (raw, expect) in [("2024", Expect.accepted), ("yes", .accepted), ("true", .accepted), ("1.10", .accepted), ("\"\"", .rejected),
                              ("\"  \"", .rejected), ("\" a \"", .accepted), ("~", .rejected)] {
            c.append(Case(label: "item name: \(raw)", inventory: inventory(hard: [.m([("id", .s("a")), ("name", .s(raw)), ("capability", .s("datacenter"))])]),
                          expect: expect))
        }
        c.append(Case(label: "item name: [a]", inventory: inventory(hard: [.m([("id", .s("a")), ("name", list("a")), ("capability", .s("datacenter"))])]),
                      expect: .rejected))
        for (raw, expect) in [("x-lab", Expect.accepted), ("x-", .accepted), ("fibre-network", .rejected), ("school-platform", .rejected),
                              ("~", .rejected), ("123", .rejected), ("Datacenter", .rejected)] {
            c.append(Case(label: "hard capability: \(raw)", inventory: inventory(hard: [item("a", capability: raw)]), expect: expect))
        }
        for (key, raw, expect) in [("status", "~", Expect.accepted), ("status", "retiring", .accepted), ("status", "Active", .rejected),
                                   ("status", "1", .rejected), ("sensitivity", "restricted", .accepted), ("sensitivity", "~", .accepted),
                                   ("sensitivity", "secret", .rejected),
                                   ("end_of_support", "2028-02-29", .accepted), ("end_of_support", "\"2027-06-30\"", .accepted),
                                   ("end_of_support", "~", .accepted), ("end_of_support", "2027-02-29", .rejected),
                                   ("end_of_support", "1900-02-29", .rejected), ("end_of_support", "2000-02-29", .accepted),
                                   ("end_of_support", "2027-6-30", .rejected), ("end_of_support", "2027-06-30T00:00:00Z", .rejected),
                                   ("end_of_support", "20270630", .rejected), ("end_of_support", "+027-01-01", .rejected),
                                   ("end_of_support", "2027-+1-01", .rejected), ("reviewed", "2024-01-31", .accepted),
                                   ("reviewed", "2024-04-31", .rejected),
                                   ("product", "0x1F", .accepted), ("product", "~", .accepted), ("vendor", "1.10", .accepted),
                                   ("notes", "no", .accepted), ("notes", "\"\"", .accepted),
                                   ("critical", "yes", .accepted), ("critical", "On", .accepted), ("critical", "tRuE", .accepted),
                                   ("critical", "FALSE", .accepted), ("critical", "\"no\"", .accepted), ("critical", "~", .accepted),
                                   ("critical", "y", .rejected), ("critical", "1", .rejected), ("critical", "\"\"", .rejected),
                                   ("critical", "yes please", .rejected),
                                   ("depends_on", "srv", .rejected), ("standards", "oidc", .rejected), ("tags", "a", .rejected)] {
            c.append(field(key, .s(raw), expect))
        }
        for (key, value, expect) in [("product", Y.m([("a", .s("1"))]), Expect.rejected), ("critical", list("true"), .rejected),
                                     ("standards", list("oidc", "x-own", "~"), .accepted), ("standards", list("fgs"), .rejected),
                                     ("standards", list("123"), .rejected), ("standards", .s("~"), .accepted),
                                     ("tags", list("yes", "NO", "on", "1e3", "2027-06-30", "~", "\"\""), .accepted),
                                     ("tags", .l([list("a")]), .rejected), ("tags", .l([]), .accepted),
                                     ("depends_on", list("srv", "~"), .accepted), ("depends_on", list("ange/srv"), .accepted),
                                     ("depends_on", list("Srv"), .rejected), ("depends_on", list("ange/"), .rejected),
                                     ("depends_on", list("/srv"), .rejected), ("depends_on", list("ange/srv/x"), .rejected),
                                     ("depends_on", list("missing"), .onlyInfraRejects("the reference must name an item of the scan")),
                                     ("x-owner", list("a"), .accepted), ("Name", .s("x"), .rejected), ("dependson", list("srv"), .rejected)] {
            c.append(field(key, value, expect))
        }
        // References that YAML reads as numbers and booleans.
        c.append(Case(label: "depends_on: [123, true, 0114]",
                      inventory: inventory(hard: [item("123"), item("true"), item("0114"), item("probe", [("depends_on", list("123", "true", "0114"))])]),
                      expect: .accepted))
        c.append(Case(label: "depends_on another organisation's item: [2024/srv]",
                      inventory: inventory(hard: [item("probe", [("depends_on", list("2024/srv"))])]), companions: [organisation("2024")],
                      expect: .accepted))
        // Coverage.
        for (raws, expect) in [(["households: 50%", "x-note: zz"], Expect.accepted), (["a: \"150%\""], .rejected),
                               (["a: 0.97", "b: 1", "c: 0", "d: \"0.97\"", "e: \"97 %\"", "f: \" 97% \"", "g: 100%", "h: 100.0%", "i: ~", "j: .5", "k: 50 %"], .accepted),
                               (["a: 1.5"], .rejected), (["a: 100.5%"], .rejected), (["a: 50%%"], .rejected), (["a: -0.5"], .rejected),
                               (["a: abc"], .rejected), (["a: \"\""], .rejected), (["a: true"], .rejected), (["a: \"-0\""], .accepted),
                               (["a: 0o1"], .onlyInfraRejects("YAML 1.2 reads 0o1 as 1")),
                               (["a: \"5e-1\""], .onlyInfraAccepts("the schema offers no exponent in quoted shares"))] {
            let pairs = raws.map { raw -> (String, Y) in
                let parts = raw.split(separator: ":", maxSplits: 1)
                return (String(parts[0]), .s(String(parts[1].dropFirst())))
            }
            c.append(field("coverage", .m(pairs), expect, "coverage: {\(raws.joined(separator: ", "))}"))
        }
        for (value, expect) in [(Y.s("~"), Expect.accepted), (.m([]), .accepted), (.l([]), .rejected), (.m([("a", list("1"))]), .rejected),
                                (.m([("x-a", .m([("b", list("1", "2"))]))]), .accepted)] {
            c.append(field("coverage", value, expect))
        }
        c.append(Case(label: "coverage on a soft item",
                      inventory: inventory(soft: [item("arkiv", capability: "e-archive", [("coverage", .m([]))])]), expect: .rejected))
        c.append(Case(label: "an x- key in an item", inventory: inventory(hard: [item("a", [("x-owner", .m([("b", .s("1"))]))])]), expect: .accepted))
        return c
    }()

    // MARK: - Running both

    static func schema() throws -> J {
        let result = try run(["schema"])
        try #require(result.exit == 0, "\(result)")
        return try JSONDecoder().decode(J.self, from: Data(result.stdout.utf8))
    }

    /// infra's findings on `files` (the first is the case), all read in one run.
    static func infra(_ files: [Y], in dir: URL) throws -> [JSONFinding] {
        var names: [String] = []
        for (i, file) in files.enumerated() {
            let name = "f\(i).yaml"
            try write([name: file.yaml], in: dir)
            names.append(name)
        }
        let result = try run(["validate", "--no-national", "--format", "json"] + names, cwd: dir)
        return try Report(result.stdout).findings
    }

    @Test("each sample inventory: infra and the schema reach the same verdict")
    func samples() throws {
        let evaluator = SchemaEvaluator(try Self.schema())
        for c in Self.cases {
            let findings = try withTemporaryDirectory { try Self.infra([c.inventory] + c.companions, in: $0) }
            let infraAccepts = findings.isEmpty, schemaAccepts = evaluator.valid(c.inventory.json)
            for companion in c.companions {
                #expect(evaluator.valid(companion.json), "\(c.label): the schema rejects a companion file\n\(companion.yaml)")
            }
            let expected: (infra: Bool, schema: Bool) = switch c.expect {
            case .accepted: (true, true)
            case .rejected: (false, false)
            case .onlyInfraRejects: (false, true)
            case .onlyInfraAccepts: (true, false)
            }
            #expect(infraAccepts == expected.infra, "\(c.label): infra \(infraAccepts ? "accepts" : "rejects") it: \(findings)\n\(c.inventory.yaml)")
            #expect(schemaAccepts == expected.schema,
                    "\(c.label): the schema \(schemaAccepts ? "accepts" : "rejects") it\n\(c.inventory.yaml)\nas JSON: \(c.inventory.json.text)")
        }
    }

    /// Many values of one field, one hard item each (`p0`, `p1`, …), in one file: the items
    /// infra reports against the values the schema rejects.
    static func probe(_ values: [String], _ make: (String, Int) -> Y, itemID: (String, Int) -> String = { "p\($1)" },
                      evaluator: SchemaEvaluator) throws -> [(raw: String, infra: Bool, schema: Bool)] {
        let items = values.enumerated().map { make($1, $0) }
        let findings = try withTemporaryDirectory { try infra([inventory(hard: items)], in: $0) }
        let reported = Set(findings.compactMap(\.item))
        #expect(findings.allSatisfy { $0.item != nil }, "findings without an item: \(findings.filter { $0.item == nil })")
        return values.enumerated().map { i, raw in
            (raw, !reported.contains(itemID(raw, i)), evaluator.valid(inventory(hard: [items[i]]).json))
        }
    }

    static func expectAgreement(_ results: [(raw: String, infra: Bool, schema: Bool)], known: [String: Expect] = [:],
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for r in results {
            switch known[r.raw] {
            case .onlyInfraRejects?: #expect(!r.infra && r.schema, "`\(r.raw)`: infra \(r.infra), schema \(r.schema)", sourceLocation: sourceLocation)
            case .onlyInfraAccepts?: #expect(r.infra && !r.schema, "`\(r.raw)`: infra \(r.infra), schema \(r.schema)", sourceLocation: sourceLocation)
            default: #expect(r.infra == r.schema, "`\(r.raw)`: infra \(r.infra ? "accepts" : "rejects") it, the schema \(r.schema ? "accepts" : "rejects") it",
                             sourceLocation: sourceLocation)
            }
        }
    }

    static let dateProbes: [String] = {
        var out: [String] = []
        for year in ["0000", "0004", "0100", "0400", "1900", "2000", "2024", "2027", "2100"] {
            for month in 0...13 {
                for day in 0...32 { out.append("\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)") }
            }
        }
        return out + ["2027-6-30", "2027-06-3", "27-06-30", "+027-06-30", "2027-+6-30", "2027-06-+3", "2027-06-30T00:00:00Z",
                      "2027/06/30", "\"2027-06-30\"", "\" 2027-06-30\"", "２０２７-06-30", "2027-06-30-01", "2027--06-30"]
    }()

    static let shareProbes: [String] = {
        let numbers = ["0", "1", "0.5", ".5", "5.", "1.0", "1.00", "1.5", "-0", "-0.0", "-.0", "-0.1", "+0.5", "+.5", "00.5", "01", "001.000",
                       "1e0", "5e-1", "1e1", "1E-1", "0x1", "0x0", ".inf", "-.inf", "inf", "nan", "1_0", "0,5", "2"]
        let percents = ["0%", "50%", "100%", "100.0%", "100.01%", "101%", "-0%", "-1%", "+50%", "050%", "0100%", "99.999%", ".5%",
                        "5.%", "50 %", "50  %", "50%%", "1e2%", "0x10%", "abc%", "50% of it"]
        let quoted = ["\"50%\"", "\" 50% \"", "\"0.97\"", "\" 0.97 \"", "\"\\t0.97\"", "\"\"", "\"1\"", "\"1.0\"", "\"1.00001\"", "\"0\"",
                      "\"-0.5\"", "\"+1\"", "\"1 %\"", "\"100 % \"", "\"%\"", "\"5e-1\"", "\"0x0.8\"", "\"inf\"", "\"true\""]
        return numbers + percents + quoted
    }()

    static let knownShares: [String: Expect] = [
        "\"5e-1\"": .onlyInfraAccepts("an exponent in text"), "1e2%": .onlyInfraAccepts("an exponent in text"),
        "0x10%": .onlyInfraAccepts("a hexadecimal number in text"), "\"0x0.8\"": .onlyInfraAccepts("a hexadecimal number in text"),
    ]

    static let booleanProbes: [String] = {
        func cases(_ word: String) -> [String] {
            word.reduce([""]) { prefixes, ch in prefixes.flatMap { [$0 + ch.lowercased(), $0 + ch.uppercased()] } }
        }
        return ["true", "false", "yes", "no", "on", "off"].flatMap(cases)
            + ["y", "Y", "n", "1", "0", "\"\"", "\"yes\"", "\"True\"", "tru", "yess", "\"on \"", "nope", "~", "null"]
    }()

    static let idProbes = ["a", "a-b", "a--b", "-a", "a-", "A", "a_b", "a.b", "å", "0114", "123", "0", "00", "0x1f", "0o17", "1e3", "1e-3",
                           "true", "false", "True", "1.5", "-5", "+5", "1.0", String(repeating: "a", count: 100),
                           String(repeating: "b", count: 101), "\"abc\"", "\"Abc\"", "\"12\"", "a b", "a/b"]

    static let knownIDs: [String: Expect] = [
        "1e-3": .onlyInfraAccepts("0.001"), "True": .onlyInfraRejects("true"), "+5": .onlyInfraRejects("5"), "1.0": .onlyInfraRejects("1"),
    ]

    @Test("field by field: dates, shares, booleans and ids infra accepts are those the schema accepts")
    func fieldValues() throws {
        let evaluator = SchemaEvaluator(try Self.schema())
        Self.expectAgreement(try Self.probe(Self.dateProbes, { raw, i in Self.item("p\(i)", [("end_of_support", .s(raw))]) }, evaluator: evaluator))
        Self.expectAgreement(try Self.probe(Self.shareProbes, { raw, i in Self.item("p\(i)", [("coverage", .m([("share", .s(raw))]))]) },
                                            evaluator: evaluator), known: Self.knownShares)
        Self.expectAgreement(try Self.probe(Self.booleanProbes, { raw, i in Self.item("p\(i)", [("critical", .s(raw))]) }, evaluator: evaluator))
        Self.expectAgreement(try Self.probe(Self.idProbes, { raw, _ in Self.item(raw) },
                                            itemID: { raw, _ in raw.hasPrefix("\"") ? String(raw.dropFirst().dropLast()) : raw },
                                            evaluator: evaluator), known: Self.knownIDs)
    }

    @Test("the schema's structure: x- keys in coverage, ids as numbers, the version, items never null")
    func structure() throws {
        let schema = try Self.schema()
        let hardItem = try #require(schema["properties"]?["hard"]?["anyOf"].flatMap { if case let .array(a) = $0 { a.first } else { nil } }?["items"])
        let properties = try #require(hardItem["properties"])
        let coverage = try #require(properties["coverage"]?["anyOf"].flatMap { if case let .array(a) = $0 { a.first } else { nil } })
        #expect(coverage["patternProperties"]?["^x-"] != nil, "coverage: x- keys")
        let idTypes: [String] = {
            guard case let .array(a)? = properties["id"]?["anyOf"] else { return [] }
            return a.compactMap { if case let .string(t)? = $0["type"] { t } else { nil } }
        }()
        #expect(Set(idTypes) == ["string", "integer", "boolean"])
        guard case let .array(version)? = schema["properties"]?["inventory"]?["enum"] else {
            Issue.record("inventory has no enum")
            return
        }
        #expect(version.count == 2 && version.contains { J.equal($0, .number(1)) } && version.contains { J.equal($0, .string("1")) })
        let evaluator = SchemaEvaluator(schema)
        #expect(!evaluator.valid(.null, hardItem), "a null item")
        #expect(evaluator.valid(.object(["id": .number(123), "name": .number(2024), "capability": .string("datacenter")]), hardItem))
        #expect(!evaluator.valid(.object(["id": .number(1.5), "name": .string("x"), "capability": .string("datacenter")]), hardItem))
    }

    @Test("with Python's jsonschema: the evaluator's verdicts are jsonschema's",
          .enabled(if: InitSchemaTests.jsonschemaPython != nil, "needs Python's jsonschema (JSONSCHEMA_PYTHON, or python3 that imports it)"))
    func jsonschemaCrossCheck() throws {
        let schema = try Self.schema()
        let evaluator = SchemaEvaluator(schema)
        var documents: [J] = Self.cases.flatMap { [$0.inventory.json] + $0.companions.map(\.json) }
        let probes: [(values: [String], make: (String) -> Y)] = [
            (Self.dateProbes.filter { $0.hasPrefix("1900") || $0.hasPrefix("2024") || !$0.hasPrefix("0") && !$0.hasPrefix("1") && !$0.hasPrefix("2") },
             { Self.item("p", [("end_of_support", .s($0))]) }),
            (Self.shareProbes, { Self.item("p", [("coverage", .m([("share", .s($0))]))]) }),
            (Self.booleanProbes, { Self.item("p", [("critical", .s($0))]) }),
            (Self.idProbes, { Self.item($0) }),
        ]
        for probe in probes {
            documents += probe.values.map { Self.inventory(hard: [probe.make($0)]).json }
        }
        // NaN is never valid JSON text for jsonschema's regex or comparisons to disagree on.
        documents.removeAll { $0.text.contains("NaN") }
        try withTemporaryDirectory { dir in
            let schemaText = try run(["schema"]).stdout
            try write(["schema.json": schemaText, "documents.jsonl": documents.map(\.text).joined(separator: "\n") + "\n"], in: dir)
            let script = """
                import json, jsonschema
                v = jsonschema.Draft202012Validator(json.load(open("schema.json")))
                for line in open("documents.jsonl"):
                    print("valid" if v.is_valid(json.loads(line)) else "invalid")
                """
            let output = try InitSchemaTests.runJSONSchemaPython(script, in: dir)
            let verdicts = output.split(separator: "\n").map { $0 == "valid" }
            try #require(verdicts.count == documents.count, "\(output.prefix(2000))")
            for (document, python) in zip(documents, verdicts) {
                #expect(evaluator.valid(document) == python, "jsonschema says \(python ? "valid" : "invalid"): \(document.text)")
            }
        }
    }
}
