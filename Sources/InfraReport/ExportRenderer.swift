import InfraModel

/// `infra export`: the resolved model as JSON, or as two CSV files (items, edges).
public enum ExportRenderer {
    public static func json(_ organisations: [ExportedOrganisation]) -> String {
        var out: [UInt8] = []
        writeJSON(organisations) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The JSON document, ending in a newline, handed to `sink` in pieces: a country's
    /// export is about 200 MB, so it is never held whole. Organisations are written a
    /// batch at a time, the organisations of a batch in parallel. The bytes are those of
    /// `JSONWriter.write` on the whole document.
    public static func writeJSON<E: Error>(_ organisations: [ExportedOrganisation], batch: Int = 64,
                                           to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        guard !organisations.isEmpty else {
            try sink(Array("{\n  \"organisations\": []\n}\n".utf8))
            return
        }
        try sink(Array("{\n  \"organisations\": [".utf8))
        var start = 0
        while start < organisations.count {
            let end = min(organisations.count, start + max(1, batch))
            let first = start
            // One organisation per chunk: they differ a hundredfold in size (Stockholm, a small kommun).
            let pieces = Array(organisations[start..<end]).parallelChunks(minimumLength: 1) { chunk -> [UInt8] in
                var bytes: [UInt8] = []
                for k in chunk.indices {
                    if first + k > 0 { bytes.append(UInt8(ascii: ",")) }
                    bytes.append(contentsOf: "\n    ".utf8)
                    JSONWriter.append(value(chunk[k]), to: &bytes, depth: 2)
                }
                return bytes
            }
            for piece in pieces { try sink(piece) }
            start = end
        }
        try sink(Array("\n  ]\n}\n".utf8))
    }

    static func value(_ o: ExportedOrganisation) -> JSONValue {
        .object([
            ("id", .string(o.id)), ("name", .string(o.name)), ("type", .string(o.type)), ("code", .string(o.code)),
            ("county", .string(o.county)), ("org_number", .string(o.orgNumber)), ("parent", .string(o.parent)),
            ("members", .strings(o.members)), ("national", .bool(o.national)), ("files", .strings(o.files)),
            ("items", .array(o.items.map { i in
                .object([
                    ("id", .string(i.id)), ("ref", .string(o.id + "/" + i.id)), ("layer", .string(i.layer.rawValue)),
                    ("name", .string(i.name)), ("capability", .string(i.capability)), ("status", .string(i.status.rawValue)),
                    ("end_of_support", .string(i.endOfSupport)), ("product", .string(i.product)), ("vendor", .string(i.vendor)),
                    ("standards", .strings(i.standards)), ("critical", .bool(i.critical)), ("depends_on", .strings(i.dependsOn)),
                    ("coverage", .object(i.coverage.map { ($0.key, .double($0.share)) })),
                    ("reviewed", .string(i.reviewed)), ("sensitivity", .string(i.sensitivity.rawValue)),
                    ("tags", .strings(i.tags)), ("notes", .string(i.notes)),
                    ("file", .string(i.file)), ("line", .int(i.line)),
                ])
            })),
        ])
    }

    /// items.csv: one row per item; edges.csv: one row per dependency.
    public static func csv(_ organisations: [ExportedOrganisation]) -> (items: String, edges: String) {
        let f = CoverageRenderer.field
        var items = "ref,organisation,organisation_type,code,id,layer,name,capability,status,end_of_support,product,vendor,standards,critical,sensitivity,tags,file,line\n"
        var edges = "source,target,source_organisation,target_organisation,cross_organisation\n"
        for o in organisations {
            for i in o.items {
                let ref = o.id + "/" + i.id
                items += [ref, o.id, o.type ?? "", o.code ?? "", i.id, i.layer.rawValue, i.name, i.capability ?? "",
                          i.status.rawValue, i.endOfSupport ?? "", i.product ?? "", i.vendor ?? "",
                          i.standards.joined(separator: ";"), i.critical ? "true" : "false", i.sensitivity.rawValue,
                          i.tags.joined(separator: ";"), i.file, String(i.line)].map(f).joined(separator: ",") + "\n"
                for target in i.dependsOn {
                    let targetOrg = String(target.prefix { $0 != "/" })
                    edges += [ref, target, o.id, targetOrg, targetOrg == o.id ? "false" : "true"].map(f).joined(separator: ",") + "\n"
                }
            }
        }
        return (items, edges)
    }
}
