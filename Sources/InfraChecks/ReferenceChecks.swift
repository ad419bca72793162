import Foundation
import InfraModel

/// Organisation headers against the Sweden reference: kommunkod and länskod,
/// names, county, and the organisation number's check digit.
public struct HeaderCheck: Check {
    public init() {}

    public var rules: [RuleDescription] {
        let kommun = { (code: String, name: String, extra: String) in
            "inventory: 1\norganisation:\n  id: kommunen\n  name: \(name)\n  type: kommun\n  code: \"\(code)\"\n\(extra)hard: []\n"
        }
        return [
            RuleDescription(.unknownCode, .validation, .error, title: "Kommunkod or länskod not in the Sweden reference",
                            rationale: "Coverage is counted against SCB's 290 municipalities and 21 regions; an inventory whose code matches none of them counts for nobody.",
                            failing: Example(kommun("0199", "Upplands Väsby kommun", "")),
                            passing: Example(kommun("0114", "Upplands Väsby kommun", ""))),
            RuleDescription(.duplicateCode, .validation, .error, title: "Two organisations with one kommunkod or länskod",
                            rationale: "Each kommun and region is one organisation, with one id; two ids for one code count it twice in coverage (2 of Västernorrland's 7 kommuner where there is 1) and split its items in two.",
                            failing: Example(files: [("a.yaml", kommun("2260", "Ånge kommun", "").replacingOccurrences(of: "kommunen", with: "ange")),
                                                     ("b.yaml", kommun("2260", "Ånge kommun", "").replacingOccurrences(of: "kommunen", with: "ange-kommun"))]),
                            passing: Example(files: [("a.yaml", kommun("2260", "Ånge kommun", "").replacingOccurrences(of: "kommunen", with: "ange")),
                                                     ("b.yaml", "inventory: 1\norganisation: {id: ange}\nhard: []\n")])),
            RuleDescription(.nameMismatch, .validation, .error, title: "Name does not match the code",
                            rationale: "A name that disagrees with the kommunkod usually means a copied header with the wrong code.",
                            failing: Example(kommun("0114", "Vallentuna kommun", "")),
                            passing: Example(kommun("0115", "Vallentuna kommun", ""))),
            RuleDescription(.countyMismatch, .validation, .error, title: "County does not match the code",
                            rationale: "The county (län) follows from the kommunkod; a different `county` is a mistake in one of them.",
                            failing: Example(kommun("0114", "Upplands Väsby kommun", "  county: \"03\"\n")),
                            passing: Example(kommun("0114", "Upplands Väsby kommun", "  county: \"01\"\n"))),
            RuleDescription(.orgNumberChecksum, .validation, .error, title: "Organisation number with a wrong check digit",
                            rationale: "Swedish organisation numbers end in a Luhn check digit; a wrong one is a typo that breaks matching with other registers.",
                            failing: Example(kommun("0114", "Upplands Väsby kommun", "  org_number: \"212000-0143\"\n")),
                            passing: Example(kommun("0114", "Upplands Väsby kommun", "  org_number: \"212000-0142\"\n"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        var out: [Finding] = []
        // The first organisation seen with each code ("kommun 2260", "region 22").
        var firstWithCode: [String: Int] = [:]
        func claim(_ key: String, _ what: String, by o: Int, at code: Located<String>) {
            guard let first = firstWithCode[key] else { firstWithCode[key] = o; return }
            let earlier = ctx.catalog.organisations[first]
            out.append(ctx.finding(.duplicateCode, .error,
                                   "\(what) is also organisation `\(earlier.id)` (\(earlier.headerFile):\(earlier.header.code?.position.line ?? earlier.header.position.line)); one kommun or region is one organisation",
                                   organisation: o, at: code.position,
                                   help: "if one of the two files is a copy of the other (\(earlier.headerFile) or this one), delete the copy; if this file is more of `\(earlier.id)`, make its header only `organisation: {id: \(earlier.id)}` (files of one organisation are merged; one of them holds name, type and code); else correct the code"))
        }
        for o in ctx.userOrganisations {
            let org = ctx.catalog.organisations[o]
            let h = org.header
            guard let type = h.type?.value else { continue }
            var derivedCounty: String?
            switch type {
            case .kommun:
                guard let code = h.code else {
                    out.append(ctx.finding(.missingRequired, .error, "kommun `\(org.id)` has no `code` (kommunkod)", organisation: o,
                                           help: "add `code: \"NNNN\"` with the 4-digit kommunkod, quoted"))
                    continue
                }
                guard let m = ctx.sweden.municipalityByCode[code.value] else {
                    // The header's name says which kommun is meant better than the nearest code does.
                    let named = Self.kommun(named: h.name?.value, in: ctx.sweden)
                    let near = named?.code ?? Suggest.nearest(to: code.value, in: ctx.sweden.municipalities.map(\.code))
                    out.append(ctx.finding(.unknownCode, .error,
                                           "kommunkod \"\(code.value)\" is not one of Sweden's 290 municipalities"
                                               + (near.map { " — did you mean \"\($0)\" (\(ctx.sweden.municipalityByCode[$0]!.name)\(named == nil ? "" : ", as the name says"))?" } ?? ""),
                                           organisation: o, at: code.position,
                                           help: "use the 4-digit code from SCB's list, quoted: `code: \"0114\"`; `infra init --kommun NAME` prints a correct header"))
                    continue
                }
                derivedCounty = m.countyCode
                claim("kommun " + m.code, "kommunkod \(m.code) (\(m.name))", by: o, at: code)
                if let name = h.name, !Self.nameMatches(name.value, m.name), !Self.nameMatches(name.value, m.officialName) {
                    let named = Self.kommun(named: name.value, in: ctx.sweden)
                    out.append(ctx.finding(.nameMismatch, .error,
                                           "name \"\(name.value)\" does not match kommunkod \(m.code), which is \(m.name)"
                                               + (named.map { " — the name is \($0.name)'s, whose code is \"\($0.code)\"" } ?? ""),
                                           organisation: o, at: name.position,
                                           help: "correct the name or the code; \(m.code) is \(m.officialName) in \(m.countyName)"
                                               + (named.map { ", \($0.code) is \($0.officialName) (`code: \"\($0.code)\"`)" } ?? "")))
                }
            case .region:
                guard let code = h.code else {
                    out.append(ctx.finding(.missingRequired, .error, "region `\(org.id)` has no `code` (länskod)", organisation: o,
                                           help: "add `code: \"NN\"` with the 2-digit länskod, quoted"))
                    continue
                }
                guard let r = ctx.sweden.regionByCode[code.value] else {
                    let named = h.name.flatMap { name in ctx.sweden.regions.first { Self.nameMatches(name.value, $0.name) } }
                    out.append(ctx.finding(.unknownCode, .error,
                                           "länskod \"\(code.value)\" is not one of Sweden's 21 regions"
                                               + (named.map { " — did you mean \"\($0.countyCode)\" (\($0.name), as the name says)?" } ?? ""),
                                           organisation: o, at: code.position,
                                           help: "use the 2-digit länskod, quoted, e.g. `code: \"22\"` for Region Västernorrland"))
                    continue
                }
                derivedCounty = r.countyCode
                claim("region " + r.countyCode, "länskod \(r.countyCode) (\(r.name))", by: o, at: code)
                if let name = h.name, !Self.nameMatches(name.value, r.name) {
                    out.append(ctx.finding(.nameMismatch, .error,
                                           "name \"\(name.value)\" does not match länskod \(r.countyCode), which is \(r.name)",
                                           organisation: o, at: name.position, help: "correct the name or the code"))
                }
            default:
                break
            }
            if let county = h.county, let derivedCounty, county.value != derivedCounty {
                out.append(ctx.finding(.countyMismatch, .error,
                                       "county \"\(county.value)\" disagrees with the code, which lies in county \(derivedCounty)",
                                       organisation: o, at: county.position, help: "remove `county:` (it follows from the code) or correct it"))
            } else if let county = h.county, derivedCounty == nil, ctx.sweden.regionByCode[county.value] == nil {
                // A county written by name (`Stockholm`, `Västernorrlands län`): its code.
                let named = Self.county(named: county.value, in: ctx.sweden)
                out.append(ctx.finding(.unknownCode, .error, "county \"\(county.value)\" is not a Swedish länskod"
                                           + (named.map { " — did you mean \"\($0.countyCode)\" (\($0.countyName))?" } ?? ""),
                                       organisation: o, at: county.position,
                                       help: named.map { "write `county: \"\($0.countyCode)\"`" } ?? "use the 2-digit länskod, quoted, e.g. \"22\" for Västernorrlands län"))
            }
            if let number = h.orgNumber, let problem = Self.orgNumberProblem(number.value) {
                out.append(ctx.finding(.orgNumberChecksum, .error, "org_number \"\(number.value)\" \(problem.message)",
                                       organisation: o, at: number.position, help: problem.help))
            }
        }
        return out
    }

    /// The kommun a header's name names, if any: the longest name it contains ("Upplands
    /// Väsby", not a shorter one inside it). Looked for only when the code is wrong or
    /// disagrees: 290 names compared for each of a country's 290 kommuner took 0.18 s.
    static func kommun(named name: String?, in sweden: Sweden) -> Municipality? {
        // (A name of a paragraph or more names no kommun, and searching it 580 times for one took
        // 7 s for a name of 1 MB.)
        guard let name, name.utf8.count <= 200 else { return nil }
        let written = name.lowercased()
        let names = sweden.lowercasedMunicipalityNames
        return sweden.municipalities.indices.filter { written.contains(names[$0].name) || written.contains(names[$0].officialName) }
            .map { sweden.municipalities[$0] }.max { $0.name.count < $1.name.count }
    }

    /// The county a name names: its county name or its region's, without "län" and
    /// "Region", case aside (`stockholm`, `Västernorrlands län`, `Region Skåne`).
    static func county(named text: String, in sweden: Sweden) -> Region? {
        func core(_ s: String) -> String {
            // Without å, ä, ö as well (`Skane`, `Orebro`), as a keyboard may have written them.
            let plain = s.lowercased().folding(options: .diacriticInsensitive, locale: nil)
            var words = plain.split(separator: " ").filter { $0 != "lan" && $0 != "region" }.joined(separator: " ")
            if words.hasSuffix("s"), words.count > 4 { words.removeLast() }  // the genitive: Stockholms
            return words
        }
        let written = core(text)
        guard written.count >= 3 else { return nil }
        return sweden.regions.first { core($0.countyName) == written || core($0.name) == written }
    }

    /// "Sundsvalls kommun" matches "Sundsvall"; case and the genitive s do not matter (Falun's
    /// genitive, "Falu kommun", is matched against the official name).
    static func nameMatches(_ written: String, _ reference: String) -> Bool {
        written.lowercased().contains(reference.lowercased())
    }

    /// nil when the number is well-formed and its Luhn check digit is right; else what is
    /// wrong and what to do.
    static func orgNumberProblem(_ text: String) -> (message: String, help: String)? {
        let digits = text.filter { $0 != "-" }
        guard digits.count == 10, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              text.count == 11 && text.dropFirst(6).first == "-"
        else {
            // The number written as other registers and habits write it: say how the format
            // wants it (NNNNNN-NNNN, as Bolagsverket writes it and other registers match it).
            let plain = text.filter { !$0.isWhitespace && $0 != "-" }
            let numeric = { (s: Substring) in s.allSatisfy { $0.isASCII && $0.isNumber } }
            var ten: (digits: Substring, form: String)?
            if plain.count == 10, numeric(Substring(plain)), !text.contains("-") {  // (a hyphen elsewhere: not of the form)
                ten = (Substring(plain), text.contains(" ") ? "has a space where the hyphen belongs" : "has no hyphen")
            } else if plain.count == 12, plain.hasPrefix("16"), numeric(Substring(plain)) {
                ten = (plain.dropFirst(2), "has the prefix 16 of the twelve-digit form")
            } else if plain.count == 14, plain.uppercased().hasPrefix("SE"), plain.hasSuffix("01"), numeric(plain.dropFirst(2)) {
                ten = (plain.dropFirst(2).dropLast(2), "is a VAT number")
            }
            if let (digits, form) = ten {
                let written = String(digits.prefix(6)) + "-" + String(digits.dropFirst(6))
                return ("\(form): write \"\(written)\"" + (orgNumberProblem(written).map { " (and it " + $0.message + ")" } ?? ""),
                        "write the organisation number as NNNNNN-NNNN")
            }
            // An en or em dash (a word processor's) looks like the hyphen it replaced.
            if let dash = text.first(where: { $0 == "–" || $0 == "—" || $0 == "−" }) {
                return ("has a dash (\(dash), U+\(String(dash.unicodeScalars.first!.value, radix: 16, uppercase: true))) where a hyphen (-) belongs",
                        "write the organisation number as NNNNNN-NNNN with the hyphen-minus key")
            }
            return ("is not of the form NNNNNN-NNNN", "write the organisation number as NNNNNN-NNNN, as in Bolagsverket's register")
        }
        let values = digits.compactMap(\.wholeNumberValue)
        // Luhn over the first nine digits: weights 2, 1, 2, … from the left.
        var sum = 0
        for (i, d) in values.prefix(9).enumerated() {
            var v = i % 2 == 0 ? d * 2 : d
            if v > 9 { v -= 9 }
            sum += v
        }
        let expected = (10 - sum % 10) % 10
        guard values[9] != expected else { return nil }
        // Any mistyped digit breaks the check, so the register, not the last digit, is the fix.
        return ("has a wrong check digit (Luhn)",
                "compare it with Bolagsverket's register: a digit is mistyped (if it is the last one, the number ends in \(expected))")
    }
}

/// Items against the capability and standards vocabularies.
public struct VocabularyCheck: Check {
    public init() {}

    /// The standard an unknown id means: the nearest by spelling, else one whose letters and
    /// digits are the written ones or start with them (`fhir` → `fhir-r4`, `SS 12000` →
    /// `ss12000`, `peppol` → `peppol-bis3`), the shortest such.
    /// `names`: id → the standard's name (`SAML 2.0`), which a reference may be written as.
    static func nearestStandard(_ written: String, in ids: [String], names: [String: String] = [:]) -> String? {
        if let near = Suggest.nearest(to: written, in: ids) { return near }
        func folded(_ s: String) -> String { String(s.lowercased().filter { $0.isLetter || $0.isNumber }) }
        let mine = folded(written)
        guard mine.count >= 2 else { return nil }
        if let named = ids.first(where: { names[$0].map(folded) == mine }) { return named }
        return ids.filter { folded($0) == mine || folded($0).hasPrefix(mine) }.min { ($0.count, $0) < ($1.count, $1) }
    }

    public var rules: [RuleDescription] {
        [
            RuleDescription(.wrongLayer, .validation, .error, title: "Capability in the wrong layer",
                            rationale: "Each capability belongs to one layer (fiber is hard infrastructure, e-archive soft); an item listed in another layer breaks the layered analysis.",
                            failing: Example(Ex.chain(services: "  - id: fiber\n    name: Fiber\n    capability: fiber-network")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network"))),
            RuleDescription(.unknownCapability, .validation, .warning, title: "Unknown capability",
                            rationale: "Capabilities are a shared vocabulary so that coverage can be counted across the country; a term outside it is probably a typo. Custom terms start with `x-`.",
                            failing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fibre-network")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: x-fibre-lab"))),
            RuleDescription(.unknownStandard, .validation, .warning, title: "Unknown standard",
                            rationale: "Standards are compared by id to find gauge breaks; an unknown id is never compared.",
                            failing: Example(Ex.chain(soft: "  - id: arkiv\n    name: E-arkiv\n    capability: e-archive\n    standards: [fgs]\n    depends_on: [datacenter]")),
                            passing: Example(Ex.chain(soft: "  - id: arkiv\n    name: E-arkiv\n    capability: e-archive\n    standards: [fgs-paket]\n    depends_on: [datacenter]"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        var out: [Finding] = []
        var suggester: CapabilitySuggester?  // made for the first unknown capability
        let standardIDs = Array(ctx.vocabulary.standards.keys)
        let standardNames = ctx.vocabulary.standards.mapValues(\.name)
        let catalog = ctx.catalog
        // Each distinct capability id is looked up once, not once per item.
        let known = catalog.capabilityIDs.map { ctx.vocabulary.capabilities[$0] }
        let custom = catalog.capabilityIDs.map { $0.hasPrefix("x-") }
        var nearest: [Int: String?] = [:]
        for o in ctx.userOrganisations {
            for i in catalog.organisations[o].items {
                let code = Int(catalog.capabilityIndex[i])
                if code >= 0, !custom[code] {
                    // Items are read in place: copying one costs more than checking it.
                    let layer = catalog.items[i].item.layer
                    if let entry = known[code] {
                        if entry.layer != layer {
                            let item = catalog.items[i].item
                            out.append(ctx.finding(.wrongLayer, .error,
                                                   "capability `\(item.capability!.value)` belongs to the \(entry.layer.rawValue) layer, but `\(item.id.value)` is listed under `\(layer.rawValue)`",
                                                   item: i, at: item.capability!.position,
                                                   help: "move the item to `\(entry.layer.rawValue):` or choose a \(layer.rawValue) capability"))
                        }
                    } else {
                        let cap = catalog.items[i].item.capability!
                        if nearest[code] == nil {
                            if suggester == nil { suggester = CapabilitySuggester(ctx.vocabulary) }
                            nearest[code] = suggester?.suggestion(for: cap.value)
                        }
                        let near = nearest[code]!
                        // A term of another layer: taken as it is, it would be capability-wrong-layer.
                        let elsewhere = near.flatMap { ctx.vocabulary.capabilities[$0]?.layer }.flatMap { $0 != layer ? $0 : nil }
                        out.append(ctx.finding(.unknownCapability, .warning,
                                               "unknown capability `\(cap.value)`" + (near.map { " — did you mean `\($0)` (\(ctx.vocabulary.capabilities[$0]?.swedishName ?? $0))?" } ?? "")
                                                   + (elsewhere.map { " It is a \($0.rawValue) capability: the item would move under `\($0.rawValue):`" } ?? ""),
                                               item: i, at: cap.position,
                                               help: "use a term of the capability vocabulary (`infra vocabulary`), or prefix a custom one with `x-`"))
                    }
                }
                for std in catalog.items[i].item.standards where ctx.vocabulary.standards[std.value] == nil && !std.value.hasPrefix("x-") {
                    let near = Self.nearestStandard(std.value, in: standardIDs, names: standardNames)
                    out.append(ctx.finding(.unknownStandard, .warning,
                                           "unknown standard `\(std.value)`" + (near.map { " — did you mean `\($0)`?" } ?? ""),
                                           item: i, at: std.position,
                                           help: "use a term of the standards vocabulary (`infra vocabulary`), or prefix a custom one with `x-`"))
                }
            }
        }
        return out
    }

}

/// The capability an unknown one most likely means: the nearest id, else the one whose
/// Swedish or English name it is nearest to (`bredband` is Bredband, `broadband-access`).
/// Made once per check run (its names folded once), used for every capability asked about.
struct CapabilitySuggester {
    private let ids: [String]
    /// Folded name (Swedish or English) → id, and the names in order.
    private let byName: [String: String]
    private let names: [String]

    init(_ vocabulary: Vocabulary) {
        ids = vocabulary.capabilities.keys.sorted()
        var byName: [String: String] = [:]
        for id in ids {
            guard let c = vocabulary.capabilities[id] else { continue }
            for name in [c.swedishName, c.englishName] where byName[Self.folded(name)] == nil { byName[Self.folded(name)] = id }
        }
        self.byName = byName
        names = byName.keys.sorted()
    }

    static func folded(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ") }

    func suggestion(for value: String) -> String? {
        Suggest.nearest(to: value, in: ids) ?? Suggest.nearest(to: Self.folded(value), in: names).flatMap { byName[$0] }
    }
}
