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
        let strings: JSONValue = .object([("type", "array"), ("items", .object([("type", "string")]))])
        let share: JSONValue = .object([("oneOf", .array([
            .object([("type", "number"), ("minimum", 0), ("maximum", 1)]),
            .object([("type", "string"), ("pattern", "^[0-9]+(\\.[0-9]+)?\\s*%$")]),
        ]))])
        let extensions: JSONValue = .object([("^x-", .object([]))])

        func item(_ layer: Layer) -> JSONValue {
            let caps = vocabulary.capabilities.values.filter { $0.layer == layer }.sorted { $0.id < $1.id }
            var properties: [(String, JSONValue)] = [
                ("id", slug),
                ("name", .object([("type", "string")])),
                ("capability", .object([("anyOf", .array([
                    .object([("enum", .strings(caps.map(\.id)))]),
                    .object([("type", "string"), ("pattern", "^x-")]),
                ])), ("description", .string("A \(layer.rawValue)-layer capability: " + caps.map { "\($0.id) (\($0.swedishName))" }.joined(separator: ", ")))])),
                ("status", .object([("enum", .strings(ItemStatus.allCases.map(\.rawValue))), ("default", "active")])),
                ("end_of_support", date),
                ("product", .object([("type", "string")])),
                ("vendor", .object([("type", "string")])),
                ("standards", .object([("type", "array"), ("items", .object([("anyOf", .array([
                    .object([("enum", .strings(vocabulary.standards.keys.sorted()))]),
                    .object([("type", "string"), ("pattern", "^x-")]),
                ]))]))])),
                ("critical", .object([("type", "boolean")])),
                ("depends_on", .object([("type", "array"), ("items", reference)])),
                ("reviewed", date),
                ("sensitivity", .object([("enum", .strings(Sensitivity.allCases.map(\.rawValue))), ("default", "internal")])),
                ("tags", strings),
                ("notes", .object([("type", "string")])),
            ]
            if layer == .hard {
                properties.append(("coverage", .object([("type", "object"), ("additionalProperties", share)])))
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
                ("name", .object([("type", "string")])),
                ("type", .object([("enum", .strings(OrganisationType.allCases.map(\.rawValue)))])),
                ("code", .object([("type", "string"), ("pattern", "^([0-9]{4}|[0-9]{2})$"),
                                  ("description", "kommun: 4-digit kommunkod; region: 2-digit länskod. Quote it.")])),
                ("org_number", .object([("type", "string"), ("pattern", "^[0-9]{6}-?[0-9]{4}$")])),
                ("county", .object([("type", "string"), ("pattern", "^[0-9]{2}$")])),
                ("parent", .object([("oneOf", .array([slug, .object([("type", "null")])]))])),
                ("members", .object([("type", "array"), ("items", slug)])),
                ("contact", .object([("type", "string")])),
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
                ("inventory", .object([("const", 1)])),
                ("organisation", organisation),
                ("services", .object([("type", "array"), ("items", item(.services))])),
                ("soft", .object([("type", "array"), ("items", item(.soft))])),
                ("hard", .object([("type", "array"), ("items", item(.hard))])),
            ])),
            ("patternProperties", extensions),
            ("additionalProperties", false),
        ])
        return JSONWriter.write(schema) + "\n"
    }
}
