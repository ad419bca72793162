import InfraModel

/// A JSON Schema (draft 2020-12) of inventory format version 1, for editors with
/// the YAML language server (`# yaml-language-server: $schema=…`). Terms come from
/// the vocabulary so completion offers every capability and standard.
public enum InventorySchema {
    public static func json(_ vocabulary: Vocabulary) -> String {
        let slug: JSONValue = .object([("type", "string"), ("pattern", "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")])
        let date: JSONValue = .object([("type", "string"), ("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                                      ("description", "A calendar date, YYYY-MM-DD")])
        let reference: JSONValue = .object([("type", "string"), ("pattern", "^[a-z0-9]([a-z0-9-]*[a-z0-9])?(/[a-z0-9]([a-z0-9-]*[a-z0-9])?)?$"),
                                           ("description", "`item-id` in the same organisation, or `org-id/item-id`")])
        let share: JSONValue = .object([("oneOf", .array([
            .object([("type", "number"), ("minimum", 0), ("maximum", 1)]),
            .object([("type", "string"), ("pattern", "^[0-9]+(\\.[0-9]+)?\\s*%$")]),
        ]))])
        let extensions: JSONValue = .object([("^x-", .object([]))])
        // What infra accepts, as an editor reads it (YAML 1.2): null (`~`, empty) wherever a
        // field is optional, null entries in lists, numbers and booleans where text goes
        // (`name: 2024`), and `yes`/`on`/… as text where a boolean goes.
        let null: JSONValue = .object([("type", "null")])
        func optional(_ v: JSONValue) -> JSONValue { .object([("anyOf", .array([v, null]))]) }
        func list(_ entry: JSONValue) -> JSONValue {
            optional(.object([("type", "array"), ("items", .object([("anyOf", .array([entry, null]))]))]))
        }
        let text: JSONValue = .object([("type", .strings(["string", "number", "boolean"]))])
        let boolean: JSONValue = optional(.object([("anyOf", .array([
            .object([("type", "boolean")]),
            .object([("enum", .strings(["true", "false", "yes", "no", "on", "off"].flatMap { [$0, $0.capitalized, $0.uppercased()] }))]),
        ]))]))

        func item(_ layer: Layer) -> JSONValue {
            let caps = vocabulary.capabilities.values.filter { $0.layer == layer }.sorted { $0.id < $1.id }
            var properties: [(String, JSONValue)] = [
                ("id", slug),
                ("name", text),
                ("capability", .object([("anyOf", .array([
                    .object([("enum", .strings(caps.map(\.id)))]),
                    .object([("type", "string"), ("pattern", "^x-")]),
                ])), ("description", .string("A \(layer.rawValue)-layer capability: " + caps.map { "\($0.id) (\($0.swedishName))" }.joined(separator: ", ")))])),
                ("status", optional(.object([("enum", .strings(ItemStatus.allCases.map(\.rawValue))), ("default", "active")]))),
                ("end_of_support", optional(date)),
                ("product", optional(text)),
                ("vendor", optional(text)),
                ("standards", list(.object([("anyOf", .array([
                    .object([("enum", .strings(vocabulary.standards.keys.sorted()))]),
                    .object([("type", "string"), ("pattern", "^x-")]),
                ]))]))),
                ("critical", boolean),
                ("depends_on", list(reference)),
                ("reviewed", optional(date)),
                ("sensitivity", optional(.object([("enum", .strings(Sensitivity.allCases.map(\.rawValue))), ("default", "internal")]))),
                ("tags", list(text)),
                ("notes", optional(text)),
            ]
            if layer == .hard {
                properties.append(("coverage", optional(.object([("type", "object"), ("additionalProperties", optional(share))]))))
            }
            return .object([
                ("type", "object"),
                ("required", .strings(["id", "name", "capability"])),
                ("properties", .object(properties)),
                ("patternProperties", extensions),
                ("additionalProperties", false),
            ])
        }

        let organisation: JSONValue = .object([
            ("type", "object"),
            ("required", .strings(["id"])),
            ("properties", .object([
                ("id", slug),
                ("name", optional(text)),
                ("type", optional(.object([("enum", .strings(OrganisationType.allCases.map(\.rawValue)))]))),
                ("code", optional(.object([("type", "string"), ("pattern", "^([0-9]{4}|[0-9]{2})$"),
                                           ("description", "kommun: 4-digit kommunkod; region: 2-digit länskod. Quote it.")]))),
                ("org_number", optional(.object([("type", "string"), ("pattern", "^[0-9]{6}-?[0-9]{4}$")]))),
                ("county", optional(.object([("type", "string"), ("pattern", "^[0-9]{2}$")]))),
                ("parent", optional(slug)),
                ("members", list(slug)),
                ("contact", optional(text)),
            ])),
            ("patternProperties", extensions),
            ("additionalProperties", false),
        ])

        let schema: JSONValue = .object([
            ("$schema", "https://json-schema.org/draft/2020-12/schema"),
            ("$id", "https://infra.example/schema/inventory-1.json"),
            ("title", "infra inventory, format version 1"),
            ("description", "One organisation's services (smart välfärd), soft and hard infrastructure."),
            ("type", "object"),
            ("required", .strings(["inventory", "organisation"])),
            ("properties", .object([
                ("inventory", .object([("enum", .array([1, "1"])), ("description", "The format version: 1")])),
                ("organisation", organisation),
                ("services", list(item(.services))),
                ("soft", list(item(.soft))),
                ("hard", list(item(.hard))),
            ])),
            ("patternProperties", extensions),
            ("additionalProperties", false),
        ])
        return JSONWriter.write(schema) + "\n"
    }
}
