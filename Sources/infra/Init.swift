import ArgumentParser
import Foundation
import InfraModel
import InfraReference
import InfraReport

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a starter inventory for a kommun, a region or another organisation.",
        discussion: """
        The header is filled from SCB's reference (name, kommunkod, county, org number where \
        known); the baseline capabilities of the organisation type follow as commented-out \
        item templates with the national components they typically depend on.

          infra init --kommun 2281                 # or --kommun Sundsvall
          infra init --region 22 --output region.yaml
          infra init --org "Sydarkivera" --type forbund
        """)

    @Option(help: "Kommunkod (e.g. 0114) or municipality name.")
    var kommun: String?

    @Option(help: "Länskod of the region (e.g. 22) or its name.")
    var region: String?

    @Option(help: "Name of another organisation (with --type, unless it is one of the built-in national ones such as Inera).")
    var org: String?

    @Option(help: "Type for --org: myndighet, bolag, forbund or annan.")
    var type: OrganisationType?

    @Option(help: "Write to this file instead of stdout (never overwrites an existing file).")
    var output: String?

    /// A municipality by kommunkod (leading zeros may be left out: 114 is 0114) or by name,
    /// written as the tool writes it or as people do ("Sundsvall", "Sundsvalls kommun",
    /// "Falu kommun", "goteborg").
    static func municipality(_ given: String, in sweden: Sweden) -> Municipality? {
        let text = given.trimmingCharacters(in: .whitespaces)
        if let code = Self.code(text, digits: 4) { return sweden.municipalityByCode[code] }
        // The name as written first: Håbo and Habo are one slug.
        if let exact = sweden.municipalities.first(where: { $0.name.lowercased() == text.lowercased() }) { return exact }
        let wanted = IDRules.slug(text)
        return sweden.municipalities.first {
            let name = IDRules.slug($0.name)
            return [name, IDRules.slug($0.officialName), name + "-kommun", name + "s-kommun", "kommun-" + name,
                    name + "-stad", name + "s-stad"].contains(wanted)  // "Malmö stad", "Stockholms stad"
        }
    }

    /// The kommun a name that is none most likely means: one whose name starts with it
    /// ("Malung" for Malung-Sälen), else the nearest name.
    static func nearestMunicipality(_ given: String, in sweden: Sweden) -> String? {
        let wanted = IDRules.slug(given)
        if !wanted.isEmpty, let start = sweden.municipalities.first(where: { IDRules.slug($0.name).hasPrefix(wanted + "-") }) {
            return start.name
        }
        return Suggest.nearest(to: given, in: sweden.municipalities.map(\.name))
    }

    /// `text` as a code of `digits` digits when it is one, its leading zeros perhaps left out.
    static func code(_ text: String, digits: Int) -> String? {
        guard !text.isEmpty, text.count <= digits, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// A region by länskod (2 = 02) or by name, with or without "Region" ("Skåne", "region skane").
    static func region(_ given: String, in sweden: Sweden) -> Region? {
        let text = given.trimmingCharacters(in: .whitespaces)
        if let code = Self.code(text, digits: 2) { return sweden.regionByCode[code] }
        let wanted = IDRules.slug(text)
        return sweden.regions.first {
            let name = IDRules.slug($0.name)
            let bare = name.hasPrefix("region-") ? String(name.dropFirst(7)) : name
            return [name, bare, IDRules.slug($0.countyName)].contains(wanted)
        }
    }

    /// One of infra's built-in national organisations, by id or name as people write them
    /// ("Inera", "inera ab", "DIGG", "Myndigheten för digital förvaltning"): its header, file
    /// and the capabilities its items have.
    static func nationalOrganisation(_ given: String) -> (header: OrganisationHeader, file: String, capabilities: Set<String>)? {
        let wanted = IDRules.slug(given)
        guard !wanted.isEmpty else { return nil }
        for result in Reference.nationalInventories {
            guard let inventory = result.inventory, inventory.organisation.isFull else { continue }
            let header = inventory.organisation
            var names = [header.id.value]
            if let name = header.name?.value {
                names.append(IDRules.slug(name))
                // "Myndigheten för digital förvaltning (DIGG)": the name before the brackets, and inside them.
                let parts = name.split(whereSeparator: { $0 == "(" || $0 == ")" })
                names += parts.map { IDRules.slug(String($0)) }
                // "Inera AB": without the company form.
                if name.hasSuffix(" AB") { names.append(IDRules.slug(String(name.dropLast(3)))) }
            }
            if names.contains(wanted) {
                let file = result.path.hasPrefix(Reference.label) ? String(result.path.dropFirst(Reference.label.count)) : result.path
                return (header, "inventory/" + file, Set(inventory.items.compactMap { $0.capability?.value }))
            }
        }
        return nil
    }

    func run() throws {
        let sweden = Reference.sweden
        var header: StarterInventory.Header
        switch (kommun, region, org) {
        case (let k?, nil, nil):
            if type != nil { throw InputProblem("--type goes with --org; --kommun makes a kommun") }
            let ids = StarterInventory.municipalityIDs(sweden)
            guard let m = Self.municipality(k, in: sweden) else {
                let near = Self.nearestMunicipality(k, in: sweden)
                throw InputProblem("--kommun \(k): not one of Sweden's 290 municipalities (give its 4-digit kommunkod, e.g. 0114, or its name)"
                                   + (near.map { " — did you mean \($0)?" } ?? ""))
            }
            // A kommun asked for as a stad ("Malmö stad") is named so; otherwise "Malmö kommun".
            let asked = k.trimmingCharacters(in: .whitespaces)
            let name = IDRules.slug(asked).hasSuffix("-stad") ? asked : m.officialName
            header = .init(id: ids[m.code]!, name: name, type: .kommun, code: m.code,
                           county: m.countyCode, orgNumber: m.orgNumber)
        case (nil, let r?, nil):
            if type != nil { throw InputProblem("--type goes with --org; --region makes a region") }
            guard let reg = Self.region(r, in: sweden) else {
                let near = Suggest.nearest(to: r, in: sweden.regions.map(\.name))
                throw InputProblem("--region \(r): not one of Sweden's 21 regions (give the 2-digit länskod, e.g. 22, or its name)"
                                   + (near.map { " — did you mean \($0)?" } ?? ""))
            }
            header = .init(id: IDRules.slug(reg.name), name: reg.name, type: .region, code: reg.countyCode)
        case (nil, nil, let name?):
            guard !name.allSatisfy(\.isWhitespace) else { throw InputProblem("--org needs the organisation's name, e.g. --org \"Sydarkivera\"") }
            let needsType = InputProblem("--org needs --type myndighet, bolag, forbund or annan (use --kommun/--region for those)")
            if type == .kommun || type == .region { throw needsType }
            // A built-in national organisation's type is known: --type may be left out.
            if let national = Self.nationalOrganisation(name), let builtInType = national.header.type?.value ?? type {
                header = .init(id: national.header.id.value, name: national.header.name?.value ?? name, type: builtInType)
                header.builtIn = national.file
                header.covered = national.capabilities
                if let type, header.type != type {
                    FileHandle.standardError.write(Data("infra: \(header.name) is built in as a \(header.type.rawValue), so the starter follows a \(header.type.rawValue)'s baseline, not --type \(type.rawValue)'s\n".utf8))
                }
            } else {
                guard let type else { throw needsType }
                let id = IDRules.id(name)
                header = .init(id: id.isEmpty ? "organisation" : id, name: name, type: type)
            }
        default:
            throw InputProblem("give exactly one of --kommun, --region or --org")
        }
        let text = StarterInventory.yaml(header, vocabulary: Reference.vocabulary)
        guard let output else { return try write(text) }
        // O_EXCL: fails if anything is there, a link pointing nowhere included, and leaves no
        // moment between looking and creating for another file to appear.
        let fd = open(output, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw InputProblem("\(output) already exists; infra init never overwrites a file") }
            throw InputProblem("\(output): cannot write file: \(String(cString: strerror(errno)))")
        }
        // No half-written starter is left behind.
        do {
            try writeAll(Array(text.utf8), to: fd, name: output)
        } catch {
            close(fd)
            unlink(output)
            throw error
        }
        guard close(fd) == 0 else {
            unlink(output)
            throw InputProblem("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }
}

extension OrganisationType: ExpressibleByArgument {
    /// What `--type` takes: a kommun or region is made with --kommun or --region instead.
    public static var allValueStrings: [String] { ["myndighet", "bolag", "forbund", "annan"] }
}
