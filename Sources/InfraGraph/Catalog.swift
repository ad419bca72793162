import Dispatch
import Foundation
import InfraModel

/// One organisation after its files are merged.
public struct CatalogOrganisation: Sendable {
    public var id: String
    /// The full header (the one with name and type); the first partial one if none is full.
    public var header: OrganisationHeader
    /// The file the header above came from.
    public var headerFile: String
    public var files: [String]
    public var isNational: Bool
    /// Indices into `Catalog.items`, contiguous.
    public var items: Range<Int>

    public var name: String { header.name?.value ?? id }
    public var type: OrganisationType? { header.type?.value }
}

/// One item with where it lives.
public struct CatalogItem: Sendable {
    public var item: Item
    public var organisation: Int32
    public var file: String
}

/// A compressed-sparse-row adjacency list on integer item ids.
public struct Adjacency: Sendable {
    /// Edges of node `n` are `targets[start[n]..<start[n+1]]`.
    public var start: [Int32]
    public var targets: [Int32]

    public init(start: [Int32], targets: [Int32]) {
        self.start = start
        self.targets = targets
    }

    @inlinable
    public func neighbours(_ n: Int) -> ArraySlice<Int32> {
        targets[Int(start[n])..<Int(start[n + 1])]
    }

    public var edgeCount: Int { targets.count }
}

/// All organisations and items of a scan, references resolved once, and the
/// dependency graph in both directions. Every analysis runs on this.
public struct Catalog: Sendable {
    public var organisations: [CatalogOrganisation]
    public var items: [CatalogItem]
    /// item → the items it depends on.
    public var dependencies: Adjacency
    /// item → the items that depend on it.
    public var dependents: Adjacency
    /// For each edge of `dependencies` (same index), where the reference was written.
    public var edgePositions: [TextPosition]
    /// Findings made while resolving: duplicate ids and headers, unresolved references.
    public var findings: [Finding]
    /// Each item's capability as an index into `capabilityIDs` (-1: none), so checks
    /// compare integers instead of hashing strings per item and per edge.
    public var capabilityIndex: [Int32]
    public var capabilityIDs: [String]

    private var organisationIndex: [String: Int32]
    /// Per organisation: local item id → global item index.
    private var localIndex: [[String: Int32]]

    public func organisation(_ id: String) -> Int? { organisationIndex[id].map(Int.init) }

    /// Resolves `item` (same organisation as `from`) or `org/item`.
    public func resolve(_ reference: String, from organisation: Int? = nil) -> Int? {
        let (orgPart, itemPart) = Self.split(reference)
        if let orgPart {
            guard let org = organisationIndex[orgPart] else { return nil }
            return localIndex[Int(org)][itemPart].map(Int.init)
        }
        guard let organisation else { return nil }
        return localIndex[organisation][itemPart].map(Int.init)
    }

    /// `org/item`, the form every output uses.
    public func ref(_ item: Int) -> String {
        organisations[Int(items[item].organisation)].id + "/" + items[item].item.id.value
    }

    public func organisationOf(_ item: Int) -> CatalogOrganisation { organisations[Int(items[item].organisation)] }

    /// Builds the catalogue from loaded inventories (national ones first, then the user's).
    public init(inventories: [Inventory]) {
        var findings: [Finding] = []

        // Group files by organisation id, keeping first-seen order.
        var orgOrder: [String] = []
        var filesByOrg: [String: [Inventory]] = [:]
        for inv in inventories {
            let id = inv.organisation.id.value
            if filesByOrg[id] == nil { orgOrder.append(id) }
            filesByOrg[id, default: []].append(inv)
        }

        var organisations: [CatalogOrganisation] = []
        var items: [CatalogItem] = []
        var organisationIndex: [String: Int32] = [:]
        var localIndex: [[String: Int32]] = []
        organisations.reserveCapacity(orgOrder.count)
        localIndex.reserveCapacity(orgOrder.count)
        items.reserveCapacity(inventories.reduce(0) { $0 + $1.items.count })

        for id in orgOrder {
            let files = filesByOrg[id]!
            let orgIndex = Int32(organisations.count)
            organisationIndex[id] = orgIndex
            let full = files.filter(\.organisation.isFull)
            let headerSource = full.first ?? files[0]
            if full.isEmpty {
                for f in files {
                    findings.append(Finding(
                        rule: .missingHeader, severity: .error,
                        message: "organisation `\(id)` has no full header in any file (name and type are missing)",
                        file: f.file, position: f.organisation.position, organisation: id,
                        help: "add `name:` and `type:` to the `organisation:` header in exactly one of its files"))
                }
            }
            for extra in full.dropFirst() {
                findings.append(Finding(
                    rule: .duplicateHeader, severity: .error,
                    message: "organisation `\(id)` already has a full header in \(headerSource.file):\(headerSource.organisation.position.line)",
                    file: extra.file, position: extra.organisation.position, organisation: id,
                    help: "keep name, type and code in one file; other files of the organisation repeat only `organisation: {id: \(id)}`"))
            }
            var local: [String: Int32] = [:]
            local.reserveCapacity(files.reduce(0) { $0 + $1.items.count })
            let startIndex = items.count
            for f in files {
                for item in f.items {
                    let itemID = item.id.value
                    if let first = local[itemID] {
                        let earlier = items[Int(first)]
                        findings.append(Finding(
                            rule: .duplicateID, severity: .error,
                            message: "item id `\(itemID)` is already used in \(earlier.file):\(earlier.item.id.position.line)",
                            file: f.file, position: item.id.position, organisation: id, item: itemID,
                            help: "item ids must be unique across all layers and files of an organisation; rename one"))
                        continue
                    }
                    local[itemID] = Int32(items.count)
                    items.append(CatalogItem(item: item, organisation: orgIndex, file: f.file))
                }
            }
            localIndex.append(local)
            organisations.append(CatalogOrganisation(
                id: id, header: headerSource.organisation, headerFile: headerSource.file,
                files: files.map(\.file), isNational: files.allSatisfy(\.isNational),
                items: startIndex..<items.count))
        }

        // Resolve every reference once into CSR adjacency, in parallel chunks of items
        // (the indices are only read here), then stitch the chunks together in order.
        let chunkSize = 8192
        let chunkCount = (items.count + chunkSize - 1) / chunkSize
        let chunks = ChunkResults(count: chunkCount)
        let (frozenItems, frozenOrgs) = (items, organisations)
        let (orgIndex, locals) = (organisationIndex, localIndex)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            var chunk = ResolvedChunk()
            for i in c * chunkSize..<min(frozenItems.count, (c + 1) * chunkSize) {
                let first = chunk.targets.count
                let org = Int(frozenItems[i].organisation)
                for ref in frozenItems[i].item.dependsOn {
                    let target: Int32?
                    let (orgPart, itemPart) = Self.split(ref.value)
                    if let orgPart {
                        target = orgIndex[orgPart].flatMap { locals[Int($0)][itemPart] }
                    } else {
                        target = locals[org][itemPart]
                    }
                    guard let target else {
                        chunk.findings.append(Self.unresolved(ref, in: frozenItems[i], orgID: frozenOrgs[org].id,
                                                              organisations: frozenOrgs, organisationIndex: orgIndex,
                                                              localIndex: locals))
                        continue
                    }
                    // A repeated reference adds no edge (lists are short: a scan beats a set).
                    if !chunk.targets[first...].contains(target) {
                        chunk.targets.append(target)
                        chunk.positions.append(ref.position)
                    }
                }
                chunk.counts.append(Int32(chunk.targets.count - first))
            }
            chunks.set(c, chunk)
        }
        var start = [Int32](repeating: 0, count: items.count + 1)
        var targets: [Int32] = []
        var positions: [TextPosition] = []
        let total = chunks.values.reduce(0) { $0 + ($1?.targets.count ?? 0) }
        targets.reserveCapacity(total)
        positions.reserveCapacity(total)
        var i = 0
        for chunk in chunks.values {
            guard let chunk else { continue }
            var running = Int32(targets.count)
            for count in chunk.counts {
                start[i] = running
                running += count
                i += 1
            }
            targets.append(contentsOf: chunk.targets)
            positions.append(contentsOf: chunk.positions)
            findings += chunk.findings
        }
        start[items.count] = Int32(targets.count)
        let forward = Adjacency(start: start, targets: targets)

        // Organisation references in headers: parent and members.
        for org in organisations {
            for ref in [org.header.parent].compactMap({ $0 }) + org.header.members where organisationIndex[ref.value] == nil {
                let near = Suggest.nearest(to: ref.value, in: organisationIndex.keys)
                findings.append(Finding(
                    rule: .unresolvedReference, severity: .error,
                    message: "organisation `\(ref.value)` is not in this scan" + (near.map { " — did you mean `\($0)`?" } ?? ""),
                    file: org.headerFile, position: ref.position, organisation: org.id,
                    help: "scan the inventory of `\(ref.value)` too, or correct the id"))
            }
        }

        var capabilityIDs: [String] = []
        var capabilityCodes: [String: Int32] = [:]
        var capabilityIndex = [Int32](repeating: -1, count: items.count)
        for i in items.indices {
            guard let cap = items[i].item.capability?.value else { continue }
            if let code = capabilityCodes[cap] {
                capabilityIndex[i] = code
            } else {
                capabilityCodes[cap] = Int32(capabilityIDs.count)
                capabilityIndex[i] = Int32(capabilityIDs.count)
                capabilityIDs.append(cap)
            }
        }
        self.capabilityIndex = capabilityIndex
        self.capabilityIDs = capabilityIDs
        self.organisations = organisations
        self.items = items
        self.dependencies = forward
        self.dependents = Self.reversed(forward, nodeCount: items.count)
        self.edgePositions = positions
        self.findings = findings
        self.organisationIndex = organisationIndex
        self.localIndex = localIndex
    }

    static func unresolved(_ ref: Located<String>, in entry: CatalogItem, orgID: String,
                           organisations: [CatalogOrganisation], organisationIndex: [String: Int32],
                           localIndex: [[String: Int32]]) -> Finding {
        let text = ref.value
        var suggestion: String?
        var what = "item"
        if let slash = text.firstIndex(of: "/") {
            let orgPart = String(text[..<slash]), itemPart = String(text[text.index(after: slash)...])
            if let org = organisationIndex[orgPart] {
                suggestion = Suggest.nearest(to: itemPart, in: localIndex[Int(org)].keys).map { orgPart + "/" + $0 }
            } else {
                what = "organisation"
                if let nearOrg = Suggest.nearest(to: orgPart, in: organisationIndex.keys) {
                    let item = localIndex[Int(organisationIndex[nearOrg]!)][itemPart] != nil ? itemPart
                        : Suggest.nearest(to: itemPart, in: localIndex[Int(organisationIndex[nearOrg]!)].keys)
                    suggestion = item.map { nearOrg + "/" + $0 } ?? nearOrg
                }
            }
        } else {
            let local = localIndex[Int(entry.organisation)]
            suggestion = Suggest.nearest(to: text, in: local.keys)
            if suggestion == nil, organisationIndex[text] != nil { suggestion = text + "/…" }
        }
        let message = "`\(text)` refers to no \(what) in this scan" + (suggestion.map { " — did you mean `\($0)`?" } ?? "")
        let help = text.contains("/")
            ? "write `org-id/item-id` of an item in a scanned inventory (national components such as `inera/siths` are built in unless --no-national)"
            : "write the id of an item of `\(orgID)`, or `org-id/item-id` for another organisation's item"
        return Finding(rule: .unresolvedReference, severity: .error, message: message,
                       file: entry.file, position: ref.position, organisation: orgID, item: entry.item.id.value,
                       help: help)
    }

    /// `org/item` → ("org", "item"); `item` → (nil, "item"). Splits on UTF-8 bytes:
    /// Character-wise search is the slowest part of resolving a country.
    static func split(_ reference: String) -> (String?, String) {
        let utf8 = reference.utf8
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")) else { return (nil, reference) }
        return (String(reference[..<slash]), String(reference[utf8.index(after: slash)...]))
    }

    /// The same graph with every edge turned around (counting sort: linear).
    static func reversed(_ g: Adjacency, nodeCount n: Int) -> Adjacency {
        var start = [Int32](repeating: 0, count: n + 1)
        for t in g.targets { start[Int(t) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var targets = [Int32](repeating: 0, count: g.targets.count)
        for source in 0..<n {
            for t in g.neighbours(source) {
                targets[Int(fill[Int(t)])] = Int32(source)
                fill[Int(t)] += 1
            }
        }
        return Adjacency(start: start, targets: targets)
    }
}

/// One chunk's share of reference resolution.
struct ResolvedChunk: Sendable {
    var counts: [Int32] = []
    var targets: [Int32] = []
    var positions: [TextPosition] = []
    var findings: [Finding] = []
}

/// Chunk results written by concurrent workers, each slot exactly once.
final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [ResolvedChunk?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: ResolvedChunk) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}
