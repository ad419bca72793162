import InfraGraph
import InfraModel

extension PipelineResult {
    /// The resolved model for `infra export`. Items marked `sensitivity: restricted`
    /// are masked (name, product, vendor and notes withheld) unless `includeRestricted`.
    /// A kommun's or region's county, when not written, is the one its code lies in (the
    /// format derives it), so that the published model holds it for every one of them.
    public func export(includeNational: Bool, includeRestricted: Bool) -> [ExportedOrganisation] {
        var model = catalog.exported(includeNational: includeNational, includeRestricted: includeRestricted)
        let sweden = context.sweden
        for k in model.indices where model[k].county == nil {
            guard let code = model[k].code else { continue }
            switch OrganisationType(rawValue: model[k].type ?? "") {
            case .kommun?: model[k].county = sweden.municipalityByCode[code]?.countyCode
            case .region?: model[k].county = sweden.regionByCode[code]?.countyCode
            default: break
            }
        }
        return model
    }
}

extension Catalog {
    /// Organisations and items as exported (restricted items masked unless asked for).
    /// `dependencies: false` leaves `dependsOn` empty, for callers that take the edges
    /// from the graph instead (a snapshot spares an `org/item` string per edge that way).
    /// `filePath` rewrites the files' paths (a snapshot stores them absolute), once per file.
    /// Organisations are exported in parallel chunks (a country's are ~250,000 items).
    public func exported(includeNational: Bool, includeRestricted: Bool, dependencies: Bool = true,
                         filePath: (@Sendable (String) -> String)? = nil) -> [ExportedOrganisation] {
        organisations.filter { includeNational || !$0.isNational }
            .parallelChunks(minimumLength: 16) { chunk in
                chunk.map { exported($0, includeRestricted: includeRestricted, dependencies: dependencies, filePath: filePath) }
            }
            .flatMap { $0 }
    }

    /// Organisation `o` of the catalogue, exported as above.
    public func exported(organisation o: Int, includeRestricted: Bool, dependencies: Bool = true,
                         filePath: (@Sendable (String) -> String)? = nil) -> ExportedOrganisation {
        exported(organisations[o], includeRestricted: includeRestricted, dependencies: dependencies, filePath: filePath)
    }

    private func exported(_ org: CatalogOrganisation, includeRestricted: Bool, dependencies: Bool,
                          filePath: ((String) -> String)?) -> ExportedOrganisation {
        let h = org.header
        // An organisation's items come from its few files: each path is rewritten once.
        let paths = filePath.map { rewrite in Dictionary(org.files.map { ($0, rewrite($0)) }, uniquingKeysWith: { a, _ in a }) }
        // Items come file by file: the last file's path answers nearly every lookup.
        var last: (file: String, path: String)?
        func path(_ file: String) -> String {
            guard let paths else { return file }
            if let last, last.file == file { return last.path }
            let path = paths[file] ?? file
            last = (file, path)
            return path
        }
        let items = org.items.map { i -> ExportedItem in
            let entry = self.items[i]
            let item = entry.item
            let masked = item.sensitivity == .restricted && !includeRestricted
            var exported = ExportedItem(
                id: item.id.value, layer: item.layer,
                name: shownName(i, includeRestricted: includeRestricted),
                capability: item.capability?.value, status: item.status,
                endOfSupport: item.endOfSupport?.value.description,
                product: masked ? nil : item.product?.value, vendor: masked ? nil : item.vendor,
                standards: item.standards.map(\.value), critical: item.critical,
                dependsOn: dependencies ? self.dependencies.neighbours(i).map { ref(Int($0)) } : [],
                coverage: item.coverage.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                reviewed: item.reviewed?.value.description, sensitivity: item.sensitivity,
                tags: item.tags, notes: masked ? nil : item.notes,
                file: path(entry.file), line: Int(item.position.line))
            if !masked, !item.extensions.isEmpty { exported.extensions = Self.sorted(item.extensions) }
            return exported
        }
        var exported = ExportedOrganisation(
            id: org.id, name: org.name, type: org.type?.rawValue, code: h.code?.value, county: h.county?.value,
            orgNumber: h.orgNumber?.value, parent: h.parent?.value, members: h.members.map(\.value),
            national: org.isNational, files: paths.map { p in org.files.map { p[$0] ?? $0 } } ?? org.files, items: items)
        exported.extensions = Self.sorted(h.extensions)
        return exported
    }

    private static func sorted(_ extensions: [String: String]) -> [(key: String, value: String)] {
        extensions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
