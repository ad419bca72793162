import Foundation
import InfraModel

/// `infra init`: a starter inventory whose header comes from the Sweden reference
/// and whose baseline capabilities are commented-out item templates.
public enum StarterInventory {
    public struct Header: Sendable {
        public var id: String
        public var name: String
        public var type: OrganisationType
        public var code: String?
        public var county: String?
        public var orgNumber: String?
        /// Set for one of infra's built-in national organisations (its file in infra's source,
        /// e.g. "inventory/national/inera.yaml"): that file holds the full header already, so the
        /// starter repeats only the id and adds items to it (a second full header is an error).
        public var builtIn: String?
        /// Capabilities the built-in organisation already has: no template is offered for them.
        public var covered: Set<String> = []
        public init(id: String, name: String, type: OrganisationType, code: String? = nil, county: String? = nil, orgNumber: String? = nil) {
            self.id = id
            self.name = name
            self.type = type
            self.code = code
            self.county = county
            self.orgNumber = orgNumber
        }
    }

    /// Organisation ids for every municipality that cannot collide: names whose
    /// slugs coincide (Håbo and Habo both fold to `habo`) get their kommunkod appended.
    public static func municipalityIDs(_ sweden: Sweden) -> [String: String] {
        let slugs = Dictionary(grouping: sweden.municipalities, by: { IDRules.slug($0.name) })
        var ids: [String: String] = [:]
        for (s, group) in slugs {
            for m in group { ids[m.code] = group.count > 1 ? "\(s)-\(m.code)" : s }
        }
        return ids
    }

    /// What a typical organisation's item of each baseline capability depends on.
    static let templates: [String: (id: String, name: String, uses: [String], note: String)] = [
        "eid-citizen": ("e-legitimation", "Inloggning med e-legitimation", ["bankid/bankid", "freja/freja-eid"], "citizens log in with BankID or Freja eID+"),
        "eid-staff": ("siths", "SITHS e-tjänstekort", ["inera/siths"], "staff e-ID from Inera"),
        "e-signature": ("e-underskrift", "E-underskrift", [], "your e-signature service"),
        "secure-messaging": ("sdk", "Säker digital kommunikation", ["digg/sdk"], "SDK, DIGG's federation"),
        "digital-mailbox": ("digital-post", "Digital post", ["digg/mina-meddelanden"], "sending through Mina meddelanden"),
        "e-archive": ("e-arkiv", "E-arkiv", [], "your own or a kommunalförbund's e-archive (`forbund-id/e-arkiv`)"),
        "broadband-access": ("bredband", "Bredband", [], "broadband access in the municipality"),
        "school-platform": ("skolplattform", "Skolplattform", [], "the school platform"),
        "social-care-records": ("verksamhetssystem-omsorg", "Verksamhetssystem socialtjänst och omsorg", [], "care documentation"),
        "digital-safety-alarm": ("trygghetslarm", "Digitala trygghetslarm", [], "digital safety alarms"),
        "healthcare-records": ("vardjournal", "Vårdjournal", ["inera/siths"], "the electronic health record"),
        "patient-portal": ("1177", "1177 och invånartjänster", ["inera/1177"], "1177 from Inera"),
        "wan": ("wan", "WAN", [], "the organisation's wide-area network"),
    ]

    public static func yaml(_ h: Header, vocabulary: Vocabulary, populationNote: String? = nil) -> String {
        var out = "# Inventory of \(commentText(h.name)) — format: infra inventory version 1.\n"
        out += "# Check it with `infra validate FILE` (the format, the vocabulary and the references) and\n"
        out += "# `infra scan FILE` (also the analysis: gaps, risks, duplicates); `infra explain RULE`\n"
        out += "# explains any finding.\n"
        if let populationNote { out += "# \(commentText(populationNote))\n" }
        out += "inventory: 1\norganisation:\n"
        if let builtIn = h.builtIn {
            out += "  # \(commentText(h.name)) is built into infra (\(builtIn) in its source): its header and\n"
            out += "  # national components. This file adds items to it; the id alone joins them (a second\n"
            out += "  # name or type would be an error).\n"
            out += "  id: \(quote(h.id))\n"
        } else {
            out += "  id: \(quote(h.id))\n  name: \(quote(h.name))\n  type: \(h.type.rawValue)\n"
            if let code = h.code { out += "  code: \"\(code)\"\n" }
            if let county = h.county { out += "  county: \"\(county)\"\n" }
            if let n = h.orgNumber { out += "  org_number: \"\(n)\"\n" }
            out += "  # contact: it@example.se\n"
        }
        let baseline = vocabulary.baseline.expected(of: h.type, code: h.code).filter { !h.covered.contains($0) }
        for layer in Layer.allCases {
            let caps = baseline.filter { vocabulary.capabilities[$0]?.layer == layer }
            out += "\n\(layer.rawValue): []  # \(layer.title)\n"
            guard !caps.isEmpty else { continue }
            out += "# Baseline capabilities for a \(h.type.rawValue) — uncomment, fill in, and remove `[]` above:\n"
            for cap in caps {
                let t = templates[cap] ?? (cap, vocabulary.capabilities[cap]?.swedishName.capitalizedFirst ?? cap, [], "")
                let name = vocabulary.capabilities[cap].map { "\($0.swedishName) / \($0.englishName)" } ?? cap
                out += "#  - id: \(t.id)  # \(name)\(t.note.isEmpty ? "" : ": " + t.note)\n"
                out += "#    name: \(quote(t.name))\n"
                out += "#    capability: \(cap)\n"
                out += "#    product:  # the product's name, if it has one\n"
                if layer != .hard {
                    // Services and soft items must reach a hard item (the `ungrounded` rule).
                    out += "#    depends_on: [\(t.uses.joined(separator: ", "))]  # add the network or data centre it runs on\n"
                }
            }
        }
        return out
    }

    /// `s` on one comment line: line breaks and other control characters become spaces.
    static func commentText(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" ? " " : scalar
        }))
    }

    /// `s` as a YAML scalar: plain when it is plainly text (letters, digits, spaces and a few
    /// marks, not a word YAML reads as null or a boolean, not a number), else double-quoted
    /// with `\\`, `"` and control characters escaped — so any name gives a valid inventory.
    static func quote(_ s: String) -> String {
        let special: Set<String> = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"]
        let plain = s.first.map { $0.isLetter } == true && s.last.map { !$0.isWhitespace } == true
            && !special.contains(s.lowercased()) && !s.contains("  ")
            && s.allSatisfy { $0.isLetter || $0.isNumber || " -.,()/&'".contains($0) }
        if plain { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
