import InfraModel

/// `infra export`: the resolved model as JSON, or as two CSV files (items, edges).
public enum ExportRenderer {
    public static func json(_ organisations: [ExportedOrganisation]) -> String {
        JSONWriter.write(.object([("organisations", .array(organisations.map(value)))])) + "\n"
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
