import InfraModel

/// The `json` format:
/// `{"findings": [{rule, severity, message, file, line, column, organisation, item, related, help}],
///   "summary": {files, organisations, items, errors, warnings, infos}}`.
/// Unknown values are `null`; keys always appear, in this order.
enum FindingsJSON {
    static func render(_ report: FindingsReport) -> String {
        JSONWriter.write(value(report)) + "\n"
    }

    static func value(_ report: FindingsReport) -> JSONValue {
        .object([
            ("findings", .array(report.sortedFindings.parallelMap(value))),
            ("summary", value(report.summary)),
        ])
    }

    static func value(_ f: Finding) -> JSONValue {
        .object([
            ("rule", .string(f.rule.rawValue)),
            ("severity", .string(f.severity.rawValue)),
            ("message", .string(f.message)),
            ("file", .string(f.file)),
            ("line", .int(f.line)),
            ("column", .int(f.column)),
            ("organisation", .string(f.organisation)),
            ("item", .string(f.item)),
            ("related", .strings(f.related)),
            ("help", .string(f.help)),
        ])
    }

    static func value(_ s: Summary) -> JSONValue {
        .object([
            ("files", .int(s.files)),
            ("organisations", .int(s.organisations)),
            ("items", .int(s.items)),
            ("errors", .int(s.errors)),
            ("warnings", .int(s.warnings)),
            ("infos", .int(s.infos)),
        ])
    }
}
