import Foundation
import InfraModel

/// Builders for the small inventories used as rule examples.
enum Ex {
    /// An organisation of type `annan` (no baseline, no code), with the given YAML under it.
    static func org(_ body: String, id: String = "exempel") -> String {
        """
        inventory: 1
        organisation:
          id: \(id)
          name: Exempelorganisationen
          type: annan
        \(body)
        """
    }

    /// A grounded service → soft → hard chain plus `extra` items in each list.
    static func chain(services: String = "", soft: String = "", hard: String = "") -> String {
        org("""
        services:
          - id: e-tjanster
            name: E-tjänster
            capability: e-service
            depends_on: [inloggning]
        \(services)
        soft:
          - id: inloggning
            name: Inloggning
            capability: identity-federation
            depends_on: [datacenter]
        \(soft)
        hard:
          - id: datacenter
            name: Datacenter
            capability: datacenter
        \(hard)
        """)
    }
}

/// Rules reported while reading files (InfraLoad) and resolving references
/// (InfraGraph). They have no check type of their own; they are described here.
public struct ReadingRules: Check {
    public init() {}
    public func run(_ context: CheckContext) -> [Finding] { [] }

    public var rules: [RuleDescription] {
        [
            RuleDescription(.yamlSyntax, .validation, .error, title: "YAML syntax error",
                            rationale: "A file that is not valid YAML cannot be read at all; the error points at where the parser gave up.",
                            failing: Example(Ex.org("services: [ {id: a, name: A\n")),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.yamlLimit, .validation, .error, title: "YAML too deep, too large or an alias bomb",
                            rationale: "Nesting, scalar size and alias expansion are bounded so that a hostile file cannot exhaust memory or time.",
                            failing: Example(Ex.org("x-bomb: &a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")),
                            passing: Example(Ex.org("x-note: [[1]]"))),
            RuleDescription(.customTag, .validation, .error, title: "Custom YAML tag",
                            rationale: "Tags such as !include or !!python/object ask a loader to fetch or run something; infra never does, so they are errors rather than silently ignored.",
                            failing: Example(Ex.org("services: !include services.yaml")),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.multipleDocuments, .validation, .error, title: "More than one YAML document in a file",
                            rationale: "An inventory file holds one document; a second one after `---` would otherwise be silently ignored.",
                            failing: Example(Ex.org("services: []") + "\n---\ninventory: 1\n"),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.fileEncoding, .validation, .error, title: "File is not UTF-8 text",
                            rationale: "Inventories are UTF-8; UTF-16 files, invalid byte sequences and control characters are reported with their position.",
                            failing: Example(Ex.org("x-note: \"bell \u{07}\"")),
                            passing: Example(Ex.org("x-note: \"Växjö\""))),
            RuleDescription(.duplicateKey, .validation, .error, title: "The same key twice in a mapping",
                            rationale: "YAML keeps only one of two equal keys, so one of the values would be lost without a word.",
                            failing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    name: Fibernät\n    capability: fiber-network")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fibernät\n    capability: fiber-network"))),
            RuleDescription(.notAnInventory, .validation, .info, title: "YAML file that is not an inventory",
                            rationale: "Repositories keep other YAML (CI configuration, docs); files without a top-level `inventory:` key are skipped with a note instead of failing.",
                            failing: Example("name: ci\non: [push]\n", name: "workflow.yaml"),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.inventoryKeyMissing, .validation, .warning, title: "Inventory without `inventory: 1`",
                            rationale: "A file without a top-level `inventory:` key is skipped as other YAML; when it plainly is an inventory (`Inventory: 1`, `inventroy: 1`, an `organisation:` header, `- inventory: 1` as a list's entry), its organisation would drop out of every report while the run passed.",
                            failing: Example(Ex.org("services: []").replacingFirst("inventory: 1", with: "Inventory: 1")),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.noInventory, .validation, .warning, title: "No inventory among the files given",
                            rationale: "When every file is skipped as not an inventory, nothing was checked: most often a CI job pointed at the wrong directory, which would otherwise pass green.",
                            failing: Example("name: ci\non: [push]\n", name: "workflow.yaml"),
                            passing: Example(files: [("workflow.yaml", "name: ci\non: [push]\n"), ("exempel.yaml", Ex.org("services: []"))])),
            RuleDescription(.unsupportedVersion, .validation, .error, title: "Unsupported format version",
                            rationale: "The format is versioned so that a future change is never misread; this infra reads version 1.",
                            failing: Example(Ex.org("services: []").replacingFirst("inventory: 1", with: "inventory: 2")),
                            passing: Example(Ex.org("services: []"))),
            RuleDescription(.unknownKey, .validation, .error, title: "Unknown key",
                            rationale: "A misspelt key (`dependson`) would silently drop information; unknown keys are errors with the nearest known key suggested. Keys starting with `x-` are extensions and always accepted.",
                            failing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    dependson: [datacenter]")),
                            passing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    x-owner: IT-avdelningen"))),
            RuleDescription(.wrongType, .validation, .error, title: "Value of the wrong type",
                            rationale: "Every field has one type (text, list, mapping, true/false); a value of another shape cannot be read as meant.",
                            failing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: datacenter")),
                            passing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [datacenter]"))),
            RuleDescription(.missingRequired, .validation, .error, title: "Required field missing",
                            rationale: "Items need an id, a name and a capability; the organisation header needs an id, and its full header a name and a type.",
                            failing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi")),
                            passing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi"))),
            RuleDescription(.badEnum, .validation, .error, title: "Value not among the allowed ones",
                            rationale: "Fields such as status, type and sensitivity take one of a few words; anything else is a typo.",
                            failing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    status: activ")),
                            passing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    status: active"))),
            RuleDescription(.badID, .validation, .error, title: "Invalid id",
                            rationale: "Ids are written in references by other organisations, so they are plain slugs: lowercase a–z, digits and '-'.",
                            failing: Example(Ex.chain(hard: "  - id: Trådlöst Nät\n    name: Wifi\n    capability: wifi")),
                            passing: Example(Ex.chain(hard: "  - id: tradlost-nat\n    name: Wifi\n    capability: wifi"))),
            RuleDescription(.badDate, .validation, .error, title: "Invalid date",
                            rationale: "Dates drive end-of-support and staleness findings, so they must be real calendar dates written YYYY-MM-DD.",
                            failing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    end_of_support: 2099-02-30")),
                            passing: Example(Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    end_of_support: 2099-02-28"))),
            RuleDescription(.badValue, .validation, .error, title: "Invalid value",
                            rationale: "Coverage shares are numbers from 0 to 1 or percentages; other values cannot be counted.",
                            failing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    coverage: {households: 1.7}")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    coverage: {households: \"97%\"}"))),
            RuleDescription(.coverageOutsideHard, .validation, .error, title: "Coverage on an item outside the hard layer",
                            rationale: "`coverage` tells how many households and workplaces a network reaches; it means nothing for services or soft infrastructure.",
                            failing: Example(Ex.chain(soft: "  - id: arkiv\n    name: E-arkiv\n    capability: e-archive\n    depends_on: [datacenter]\n    coverage: {households: 0.5}")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    coverage: {households: 0.5}"))),
            RuleDescription(.duplicateID, .validation, .error, title: "Duplicate item id",
                            rationale: "References name items by id, so an id must be unique across all layers and files of an organisation.",
                            failing: Example(Ex.chain(hard: "  - id: datacenter\n    name: Reservdatacenter\n    capability: datacenter")),
                            passing: Example(Ex.chain(hard: "  - id: reservdatacenter\n    name: Reservdatacenter\n    capability: datacenter"))),
            RuleDescription(.duplicateHeader, .validation, .error, title: "Organisation header given twice",
                            rationale: "An organisation may be split over several files, but exactly one of them carries the full header; two full headers usually mean two organisations with the same id.",
                            failing: Example(files: [("a.yaml", Ex.org("services: []")), ("b.yaml", Ex.org("hard: []"))]),
                            passing: Example(files: [("a.yaml", Ex.org("services: []")),
                                                     ("b.yaml", "inventory: 1\norganisation: {id: exempel}\nhard: []\n")])),
            RuleDescription(.missingHeader, .validation, .error, title: "Organisation without a full header",
                            rationale: "Every organisation needs a name and a type in exactly one of its files, or coverage and baseline cannot be computed.",
                            failing: Example("inventory: 1\norganisation: {id: exempel}\nhard: []\n"),
                            passing: Example(Ex.org("hard: []"))),
            RuleDescription(.unresolvedReference, .validation, .error, title: "Reference to nothing",
                            rationale: "A dependency that points nowhere hides a real dependency; the nearest existing id is suggested.",
                            failing: Example(Ex.chain(soft: "  - id: sakert\n    name: Säkra meddelanden\n    capability: secure-messaging\n    depends_on: [datacentre]")),
                            passing: Example(Ex.chain(soft: "  - id: sakert\n    name: Säkra meddelanden\n    capability: secure-messaging\n    depends_on: [datacenter]"))),
        ]
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
