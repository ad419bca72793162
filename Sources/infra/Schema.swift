import ArgumentParser
import InfraReference
import InfraReport

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON Schema (draft 2020-12) of the inventory format for editors.",
        discussion: """
        Save it and point the YAML language server at it, e.g. at the top of an inventory:
          # yaml-language-server: $schema=./infra-inventory.schema.json

        Then VS Code (with the YAML extension) and other editors complete and check keys, \
        capabilities and standards as you type.

          infra schema > infra-inventory.schema.json
        """)

    func run() throws {
        try write(InventorySchema.json(Reference.vocabulary, sweden: Reference.sweden))
    }
}
