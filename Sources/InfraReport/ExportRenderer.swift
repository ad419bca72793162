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
        try JSONWriter.stream([("organisations", .elements(count: organisations.count, batch: batch,
                                                            make: { value(organisations[$0]) }))], to: sink)
    }

    static func value(_ o: ExportedOrganisation) -> JSONValue {
        // `x-` keys, only where there are some: the format keeps them for their owners.
        func withExtensions(_ pairs: [(String, JSONValue)], _ extensions: [(key: String, value: String)]) -> JSONValue {
            extensions.isEmpty ? .object(pairs) : .object(pairs + [("extensions", .object(extensions.map { ($0.key, .string($0.value)) }))])
        }
        return withExtensions([
            ("id", .string(o.id)), ("name", .string(o.name)), ("type", .string(o.type)), ("code", .string(o.code)),
            ("county", .string(o.county)), ("org_number", .string(o.orgNumber)), ("parent", .string(o.parent)),
            ("members", .strings(o.members)), ("national", .bool(o.national)), ("files", .strings(o.files)),
            ("items", .array(o.items.map { i in
                withExtensions([
                    ("id", .string(i.id)), ("ref", .string(o.id + "/" + i.id)), ("layer", .string(i.layer.rawValue)),
                    ("name", .string(i.name)), ("capability", .string(i.capability)), ("status", .string(i.status.rawValue)),
                    ("end_of_support", .string(i.endOfSupport)), ("product", .string(i.product)), ("vendor", .string(i.vendor)),
                    ("standards", .strings(i.standards)), ("critical", .bool(i.critical)), ("depends_on", .strings(i.dependsOn)),
                    ("coverage", .object(i.coverage.map { ($0.key, .double($0.share)) })),
                    ("reviewed", .string(i.reviewed)), ("sensitivity", .string(i.sensitivity.rawValue)),
                    ("tags", .strings(i.tags)), ("notes", .string(i.notes)),
                    ("file", .string(i.file)), ("line", .int(i.line)),
                ], i.extensions)
            })),
        ], o.extensions)
    }

    /// A list in one CSV cell: its values joined by `;`, a `;` or `\` inside a value escaped
    /// with `\`, so that splitting on the unescaped `;` gives the values back.
    static func listCell(_ values: [String]) -> String {
        values.map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;") }
            .joined(separator: ";")
    }

    static let itemsHeader = "ref,organisation,organisation_type,code,id,layer,name,capability,status,end_of_support,product,vendor,standards,critical,sensitivity,tags,file,line\n"
    static let edgesHeader = "source,target,source_organisation,target_organisation,cross_organisation\n"

    /// items.csv (one row per item) and edges.csv (one row per dependency), handed to two
    /// sinks in pieces, organisations in parallel batches as `writeJSON` does: a country's two
    /// files are over 100 MB.
    public static func writeCSV<E: Error>(_ organisations: [ExportedOrganisation], batch: Int = 64,
                                          items itemSink: ([UInt8]) throws(E) -> Void,
                                          edges edgeSink: ([UInt8]) throws(E) -> Void) throws(E) {
        try itemSink(Array(itemsHeader.utf8))
        try edgeSink(Array(edgesHeader.utf8))
        try inParallelBatches(organisations.count, batch: batch, { indices -> (items: [UInt8], edges: [UInt8]) in
            var items = CSVRows(), edges = CSVRows()
            for o in indices.map({ organisations[$0] }) {
                for i in o.items {
                    let ref = o.id + "/" + i.id
                    for field in [ref, o.id, o.type ?? "", o.code ?? "", i.id, i.layer.rawValue, i.name, i.capability ?? "",
                                  i.status.rawValue, i.endOfSupport ?? "", i.product ?? "", i.vendor ?? "",
                                  listCell(i.standards), i.critical ? "true" : "false", i.sensitivity.rawValue,
                                  listCell(i.tags), i.file, String(i.line)] {
                        items.field(field)
                    }
                    items.endRow()
                    for target in i.dependsOn {
                        let targetOrg = String(target.prefix { $0 != "/" })
                        for field in [ref, target, o.id, targetOrg, targetOrg == o.id ? "false" : "true"] { edges.field(field) }
                        edges.endRow()
                    }
                }
            }
            return (items.bytes, edges.bytes)
        }, emit: { (piece: (items: [UInt8], edges: [UInt8])) throws(E) in
            try itemSink(piece.items)
            try edgeSink(piece.edges)
        })
    }
}

/// CSV rows as UTF-8 bytes (RFC 4180): a field holding a comma, a quote or a line break is
/// quoted, its quotes doubled. A text a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a number) gets a `'` in front,
/// as OWASP advises for CSV: inventories come from many authors, and an analyst opens the
/// country's CSV in Excel or LibreOffice.
struct CSVRows {
    var bytes: [UInt8] = []
    private var rowStarted = false

    mutating func field(_ value: String) {
        if rowStarted { bytes.append(UInt8(ascii: ",")) }
        rowStarted = true
        let text = Self.formulaStarts.contains(value.utf8.first ?? 0) && Double(value) == nil ? "'" + value : value
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    mutating func endRow() {
        bytes.append(0x0A)
        rowStarted = false
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    private static let formulaStarts: Set<UInt8> = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]
}
