import InfraModel

/// A JSON Schema (draft 2020-12) of inventory format version 1, for editors with
/// the YAML language server (`# yaml-language-server: $schema=…`). Terms come from
/// the vocabulary so completion offers every capability and standard, and kommun and
/// region codes come from the Sweden reference.
///
/// The schema accepts what `infra validate` passes without a finding (warnings included:
/// an unknown capability is marked in the editor too), as an editor reads the file. The
/// language server reads YAML 1.2's core schema: a plain `0114` is the number 114,
/// `true` a boolean, `1.5` a number, `~` and an empty value null, while infra types every
/// scalar by its field (`code: 0114` is the text "0114"). So wherever infra reads text,
/// the schema also takes the numbers and booleans a valid text turns into, and no others.
/// Where two spellings give one value (`1` and `1.0`, `0114` and `114`), the schema
/// cannot tell them apart and accepts the value; docs/inventory-format.md lists these.
/// Only keywords the language server's draft-07 validator knows are used.
public enum InventorySchema {
    public static func json(_ vocabulary: Vocabulary, sweden: Sweden) -> String {
        JSONWriter.write(value(vocabulary, sweden: sweden)) + "\n"
    }

    // MARK: - Building blocks

    static let null: JSONValue = ["type": "null"]
    static func optional(_ v: JSONValue) -> JSONValue { ["anyOf": [v, null]] }
    /// A list, or null (the empty list); null entries are dropped, as infra drops them.
    static func list(_ entry: JSONValue) -> JSONValue {
        optional(["type": "array", "items": ["anyOf": [entry, null]]])
    }

    /// Any scalar but null: infra keeps it as written.
    static let text: JSONValue = ["type": ["string", "number", "boolean"]]
    /// A name: text that is not blank (infra tells `name: ""` as empty).
    static let requiredText: JSONValue = ["anyOf": [["type": "string", "pattern": "[^ \t]"], ["type": ["number", "boolean"]]]]

    /// A slug of at most 100 characters (`IDRules.isValid`).
    static let slug = "[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?"

    /// The values of plain slugs YAML 1.2 reads as something else: digits (`0114`, also
    /// `0x1f`, `1e3`) are whole numbers, `true` and `false` booleans.
    static let slugAsOther: [JSONValue] = [["type": "integer", "minimum": 0], ["type": "boolean"]]

    static func id(_ description: String) -> JSONValue {
        ["anyOf": .array([["type": "string", "pattern": .string("^\(slug)$")]] + slugAsOther),
         "description": .string(description)]
    }

    /// `item-id` or `org-id/item-id`: split at the first `/`, each part an id.
    static let reference: JSONValue = [
        "anyOf": .array([["type": "string", "pattern": .string("^\(slug)(?:/\(slug))?$")]] + slugAsOther),
        "description": "`item-id` in the same organisation, or `org-id/item-id`",
    ]

    /// `YYYY-MM-DD`, a real calendar date (`CalendarDate(iso:)`), leap years included.
    static let datePattern: String = {
        let day28 = "(?:0[1-9]|1[0-9]|2[0-8])"
        let monthDay = "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-\(day28))"
        // Divisible by 4 but not by 100, or by 400.
        let leapYear = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[048]|[2468][048]|[13579][26])00)"
        return "^(?:[0-9]{4}-\(monthDay)|\(leapYear)-02-29)$"
    }()

    static let date: JSONValue = ["type": "string", "pattern": .string(datePattern),
                                  "description": "A calendar date, YYYY-MM-DD"]

    /// `true`, `false`, `yes`, `no`, `on`, `off` in any case (`readBool` lower-cases).
    static let booleanWordPattern: String = {
        let words = ["true", "false", "yes", "no", "on", "off"]
        return "^(?:" + words.map(caseless).joined(separator: "|") + ")$"
    }()

    static let boolean: JSONValue = optional(["anyOf": [
        ["type": "boolean"],
        ["type": "string", "pattern": .string(booleanWordPattern)],
    ]])

    /// A share as text (`InventoryParser.share`): spaces around it, then a decimal number
    /// from 0 to 1, or one from 0 to 100 followed by `%` (spaces allowed before the `%`).
    /// A minus sign is allowed on zero only. (infra also reads `"5e-1"` and hexadecimal
    /// `"0x0.8"`; the schema does not offer those spellings.)
    static let sharePattern: String = {
        let negativeZero = "-(?:0+(?:\\.0*)?|\\.0+)"
        let upTo1 = "(?:\\+?(?:0+(?:\\.[0-9]*)?|\\.[0-9]+|0*1(?:\\.0*)?)|\(negativeZero))"
        let upTo100 = "(?:\\+?(?:0*[0-9]{1,2}(?:\\.[0-9]*)?|\\.[0-9]+|0*100(?:\\.0*)?)|\(negativeZero))"
        return "^ *(?:\(upTo1)|\(upTo100) *%) *$"
    }()

    static let share: JSONValue = ["anyOf": [
        ["type": "number", "minimum": 0, "maximum": 1],
        ["type": "string", "pattern": .string(sharePattern)],
    ], "description": "A share: a number from 0 to 1 (0.97) or a percentage from 0 to 100 (97%)"]

    static let extensions: JSONValue = ["^x-": [:]]

    static func enumOrCustom(_ values: [String]) -> JSONValue {
        ["anyOf": [["enum": .strings(values)], ["type": "string", "pattern": "^x-"]]]
    }

    /// A code written as text, or as the number YAML makes of it unquoted (`0114` → 114).
    static func codes(_ codes: [String]) -> JSONValue {
        .array(codes.map { .string($0) } + codes.compactMap { Int($0) }.map { .int($0) })
    }

    /// `s` matched without regard to case: `[Uu][Pp]…`, metacharacters escaped.
    static func caseless(_ s: String) -> String {
        var out = ""
        for ch in s {
            let lower = String(ch).lowercased(), upper = String(ch).uppercased()
            if lower != upper, lower.count == 1, upper.count == 1 {
                out += "[\(upper)\(lower)]"
            } else if "\\^$.|?*+()[]{}/".contains(ch) {
                out += "\\\(ch)"
            } else {
                out.append(ch)
            }
        }
        return out
    }

    // MARK: - The schema

    static func value(_ vocabulary: Vocabulary, sweden: Sweden) -> JSONValue {
        func item(_ layer: Layer) -> JSONValue {
            let caps = vocabulary.capabilities.values.filter { $0.layer == layer }.sorted { $0.id < $1.id }
            var capability = enumOrCustom(caps.map(\.id))
            if case .object(var members) = capability {
                members.append(("description", .string("A \(layer.rawValue)-layer capability: "
                    + caps.map { "\($0.id) (\($0.swedishName))" }.joined(separator: ", "))))
                capability = .object(members)
            }
            var properties: [(String, JSONValue)] = [
                ("id", id("The item's id: lowercase a–z, digits and '-', unique in the organisation")),
                ("name", requiredText),
                ("capability", capability),
                ("status", optional(["enum": .strings(ItemStatus.allCases.map(\.rawValue)), "default": "active"])),
                ("end_of_support", optional(date)),
                ("product", optional(text)),
                ("vendor", optional(text)),
                ("standards", list(enumOrCustom(vocabulary.standards.keys.sorted()))),
                ("critical", boolean),
                ("depends_on", list(reference)),
                ("reviewed", optional(date)),
                ("sensitivity", optional(["enum": .strings(Sensitivity.allCases.map(\.rawValue)), "default": "internal"])),
                ("tags", list(text)),
                ("notes", optional(text)),
            ]
            if layer == .hard {
                // Keys are free; `x-` keys are skipped whatever their value; null values too.
                properties.append(("coverage", optional([
                    "type": "object",
                    "patternProperties": extensions,
                    "additionalProperties": optional(share),
                ])))
            }
            return [
                "type": "object",
                "required": .strings(["id", "name", "capability"]),
                "properties": .object(properties),
                "patternProperties": extensions,
                "additionalProperties": false,
            ]
        }

        let schema: JSONValue = [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://infra.example/schema/inventory-1.json",
            "title": "infra inventory, format version 1",
            "description": "One organisation's services (smart välfärd), soft and hard infrastructure.",
            "type": "object",
            "required": .strings(["inventory", "organisation"]),
            "properties": [
                // The text "1": `1` or `"1"`. (An editor reads `1.0`, `01` and `+1` as 1 too.)
                "inventory": ["enum": [1, "1"], "description": "The format version: 1"],
                "organisation": organisation(sweden),
                // An entry of a layer must be an item: a null entry is `wrong-type`.
                "services": optional(["type": "array", "items": item(.services)]),
                "soft": optional(["type": "array", "items": item(.soft)]),
                "hard": optional(["type": "array", "items": item(.hard)]),
            ],
            "patternProperties": extensions,
            "additionalProperties": false,
        ]
        return schema
    }

    /// The header, with the checks infra makes of one file's header: a full header (name
    /// or type) has both; a kommun or region has a code of the Sweden reference and a
    /// county, if given, is the code's; a region's name contains the reference name; another
    /// type's county is a länskod; a typed header's org_number is NNNNNN-NNNN (the Luhn
    /// check digit is infra's to check).
    static func organisation(_ sweden: Sweden) -> JSONValue {
        let types = OrganisationType.allCases.map(\.rawValue)
        /// `key` is given, and not null (null is the same as leaving it out).
        func has(_ key: String, _ condition: JSONValue = ["not": null]) -> JSONValue {
            ["required": .strings([key]), "properties": .object([(key, condition)])]
        }
        func ifThen(_ condition: JSONValue, _ then: JSONValue) -> JSONValue { ["if": condition, "then": then] }
        func countyOf(_ code: String) -> JSONValue { optional(["enum": codes([code])]) }
        /// Contains one of `names`, ignoring case (`HeaderCheck.nameMatches`).
        func name(_ names: [String], _ code: String) -> JSONValue {
            ["type": "string", "pattern": .string(names.map(caseless).joined(separator: "|")),
             "errorMessage": .string("with \(code), the name must contain " + names.map { "“\($0)”" }.joined(separator: " or "))]
        }

        let municipalities = sweden.municipalities.sorted { $0.code < $1.code }
        let regions = sweden.regions.sorted { $0.countyCode < $1.countyCode }
        let counties = Dictionary(grouping: municipalities, by: \.countyCode).sorted { $0.key < $1.key }
        // The county follows from the code: one condition per county. (A kommun's name is
        // left to infra: one pattern per kommun made the schema 25 times bigger, ~330 KB,
        // for editors to check on every keystroke.)
        let kommun: JSONValue = [
            "required": ["code"],
            "properties": ["code": ["enum": codes(municipalities.map(\.code)),
                                    "description": "The kommunkod, 4 digits. Quote it: \"0114\"."]],
            "allOf": .array(counties.map { county, members in
                ifThen(has("code", ["enum": codes(members.map(\.code))]), ["properties": ["county": countyOf(county)]])
            }),
        ]
        let region: JSONValue = [
            "required": ["code"],
            "properties": ["code": ["enum": codes(regions.map(\.countyCode)),
                                    "description": "The länskod, 2 digits. Quote it: \"22\"."]],
            "allOf": .array(regions.map { r in
                ifThen(has("code", ["enum": codes([r.countyCode])]),
                       ["properties": ["name": name([r.name], "länskod \(r.countyCode)"), "county": countyOf(r.countyCode)]])
            }),
        ]
        let otherTypes = [OrganisationType.myndighet, .bolag, .forbund, .annan].map(\.rawValue)

        return [
            "type": "object",
            "required": ["id"],
            "properties": [
                "id": id("The organisation's id, the same in each of its files, e.g. upplands-vasby"),
                "name": optional(requiredText),
                "type": optional(["enum": .strings(types)]),
                "code": optional(text),
                "org_number": optional(text),
                "county": optional(text),
                "parent": optional(id("The id of the parent organisation")),
                "members": list(id("The id of a member organisation")),
                "contact": optional(text),
            ],
            "patternProperties": extensions,
            "additionalProperties": false,
            "allOf": [
                // A full header has a name and a type; `{id: …}` alone is a partial header.
                ifThen(has("name"), has("type")),
                ifThen(has("type"), has("name")),
                ifThen(has("type", ["const": "kommun"]), kommun),
                ifThen(has("type", ["const": "region"]), region),
                ifThen(has("type", ["enum": .strings(otherTypes)]),
                       ["properties": ["county": optional(["enum": codes(regions.map(\.countyCode)),
                                                           "description": "A länskod, 2 digits, quoted"])]]),
                ifThen(has("type", ["enum": .strings(types)]),
                       // With the hyphen, as the format writes it (ten digits alone are refused).
                       ["properties": ["org_number": optional(["type": "string", "pattern": "^[0-9]{6}-[0-9]{4}$",
                                                               "description": "NNNNNN-NNNN, with a valid Luhn check digit"])]]),
            ],
        ]
    }
}
