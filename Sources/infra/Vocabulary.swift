import ArgumentParser
import InfraModel
import InfraReference

struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary",
        abstract: "List the capability and standard terms, the baseline per organisation type, and the national components to depend on.")

    func run() throws {
        let v = Reference.vocabulary
        var out = ""
        for layer in Layer.allCases {
            out += "\(layer.title)\n"
            let caps = v.capabilities.values.filter { $0.layer == layer }.sorted { $0.id < $1.id }
            let width = caps.map(\.id.count).max() ?? 0
            for c in caps {
                out += "  \(c.id.padding(width))  \(c.unique ? "unique" : "      ")  \(c.swedishName) — \(c.englishName)\n"
            }
            out += "\n"
        }
        out += "Standards (family: ids — a dependency between different ids of one family is a gauge break)\n"
        let families = Dictionary(grouping: v.standards.values, by: \.family)
        for family in families.keys.sorted() {
            out += "  \(family): " + families[family]!.map(\.id).sorted().joined(separator: ", ") + "\n"
        }
        out += "\nBaseline (expected capabilities per organisation type)\n"
        for type in OrganisationType.allCases {
            guard let caps = v.baseline.expected[type], !caps.isEmpty else { continue }
            out += "  \(type.rawValue): " + caps.joined(separator: ", ") + "\n"
        }
        // What `depends_on` can name without anyone's inventory: the built-in organisations' items.
        out += "\nNational components (built in unless --no-national; depend on them as org/item)\n"
        let national = Reference.nationalInventories.compactMap(\.inventory)
        let rows = national.flatMap { inventory in
            inventory.items.map { ("\(inventory.organisation.id.value)/\($0.id.value)", $0.capability?.value ?? "", $0.name?.value ?? "") }
        }
        let refWidth = rows.map(\.0.count).max() ?? 0, capWidth = rows.map(\.1.count).max() ?? 0
        for (ref, capability, name) in rows {
            out += "  \(ref.padding(refWidth))  \(capability.padding(capWidth))  \(name)\n"
        }
        try write(out)
    }
}
