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
    /// A user's files joined a built-in (national) organisation: a national component infra
    /// does not ship (Navet) added to its provider. Its items are checked as the user's are,
    /// but no baseline or consolidation applies to it: it is not a kommun's or region's own.
    public var joinsBuiltIn = false
    /// Indices into `Catalog.items`, contiguous.
    public var items: Range<Int>

    public var name: String { header.name?.value ?? id }
    public var type: OrganisationType? { header.type?.value }
}

/// One item with where it lives.
public struct CatalogItem: Sendable {
    /// The items of the inventory this one comes from, shared with it rather than copied:
    /// a copy of every item was ~80 MB of fresh memory for the country, and the kernel
    /// clearing fresh pages was the largest single cost after libyaml.
    @usableFromInline let siblings: [Item]
    @usableFromInline let index: Int32
    public var organisation: Int32
    public var file: String

    @inlinable public var item: Item { siblings[Int(index)] }
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

    /// The edges between nodes that both `keep`.
    public func keeping(_ keep: (Int) -> Bool) -> Adjacency {
        var start: [Int32] = [0], targets: [Int32] = []
        for v in 0..<(self.start.count - 1) {
            if keep(v) { targets += neighbours(v).filter { keep(Int($0)) } }
            start.append(Int32(targets.count))
        }
        return Adjacency(start: start, targets: targets)
    }
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
    /// `capabilityIDs` inverted: capability id → its code.
    public var capabilityCodes: [String: Int32]
    /// Inventory files the scan could not read, by the organisation whose header they
    /// began with: that organisation's items may be missing (a reference to one dangles,
    /// a baseline capability looks absent).
    public var unreadFiles: [String: [String]] = [:]

    private var organisationIndex: [String: Int32]
    /// Per organisation: local item id → global item index.
    private var localIndex: [[String: Int32]]

    public func organisation(_ id: String) -> Int? { organisationIndex[id].map(Int.init) }

    /// Resolves `item` (same organisation as `from`) or `org/item`.
    public func resolve(_ reference: String, from organisation: Int? = nil) -> Int? {
        let (orgPart, itemPart) = Self.split(reference)
        if let orgPart {
            guard let org = organisationIndex[orgPart] else { return nil }
            return lookup(itemPart, in: Int(org))
        }
        guard let organisation else { return nil }
        return lookup(itemPart, in: organisation)
    }

    private func lookup(_ itemID: String, in organisation: Int) -> Int? {
        localIndex[organisation][itemID].map { organisations[organisation].items.lowerBound + Int($0) }
    }

    /// The id of item `item` within its organisation, read in place (an Item is not copied).
    public func itemID(_ item: Int) -> String { items[item].item.id.value }

    /// An item's name as outputs show it: a `restricted` item's is withheld ("(restricted)")
    /// unless `includeRestricted`, since reports and pictures are passed on.
    public func shownName(_ item: Int, includeRestricted: Bool = false) -> String {
        let entry = items[item].item
        if entry.sensitivity == .restricted, !includeRestricted { return Self.withheldName }
        return entry.name?.value ?? entry.id.value
    }

    /// What stands for a restricted item's name.
    public static let withheldName = "(restricted)"

    /// What an organisation has, by the rule of coverage and the baseline: each of its own
    /// running items, and each running item of another organisation one of them depends on
    /// directly. `body` may see an item more than once.
    @inlinable
    public func forEachProvided(by o: Int, _ body: (Int) -> Void) {
        for i in organisations[o].items where items[i].item.status.isRunning {
            body(i)
            for w in dependencies.neighbours(i) where Int(items[Int(w)].organisation) != o && items[Int(w)].item.status.isRunning {
                body(Int(w))
            }
        }
    }

    /// `org/item`, the form every output uses.
    public func ref(_ item: Int) -> String {
        organisations[Int(items[item].organisation)].id + "/" + itemID(item)
    }

    /// What to say when `ref`, given on the command line, names no item: that it is an
    /// organisation's id, an item id several organisations use, or the nearest org/item.
    public func unknownItemMessage(_ ref: String) -> String {
        if !ref.contains("/") {
            if let o = organisation(ref) {
                let example = organisations[o].items.first.map { " (e.g. `\(self.ref($0))`)" } ?? ""
                return "\(ref) is an organisation; name one of its items as \(ref)/ITEM\(example)"
            }
            let owners = items.indices.filter { itemID($0) == ref }.map { self.ref($0) }
            if owners.count == 1 { return "\(ref): write org/item — did you mean `\(owners[0])`?" }
            if owners.count > 1 {
                return "\(ref) is an item of \(owners.count) organisations: \(owners.joinedShort(first: 10)); write org/item"
            }
        }
        let near = Suggest.nearest(to: ref, in: items.indices.lazy.map { self.ref($0) })
        return "\(ref): no such item in the scan (write org/item)" + (near.map { " — did you mean `\($0)`?" } ?? "")
    }

    public func organisationOf(_ item: Int) -> CatalogOrganisation { organisations[Int(items[item].organisation)] }

    /// Builds the catalogue from loaded inventories (national ones first, then the user's).
    /// `suggestionBudget`: how many ids "did you mean" may compare dangling references with
    /// in all (see `suggestionBudget` below).
    /// `unread`: files that could not be read (`[Finding].unreadFiles`), named in the help of
    /// a reference that may point into them.
    public init(inventories: [Inventory], unread: [UnreadFile] = [], suggestionBudget: Int = Catalog.suggestionBudget) {
        var unreadFiles: [String: [String]] = [:]
        for u in unread { if let o = u.organisation { unreadFiles[o, default: []].append(u.file) } }
        var findings: [Finding] = []

        // Group files by organisation id, keeping first-seen order.
        var orgOrder: [String] = []
        var filesByOrg: [String: [Int]] = [:]
        for (f, inv) in inventories.enumerated() {
            let id = inv.organisation.id.value
            if filesByOrg[id] == nil { orgOrder.append(id) }
            filesByOrg[id, default: []].append(f)
        }
        let fileLists = orgOrder.map { filesByOrg[$0]! }

        // Each organisation on its own, in parallel: its header, which items it keeps
        // (the first of each id) and their local numbering. Organisations share nothing.
        let plans = ParallelSlots<OrganisationPlan>(count: orgOrder.count)
        let ids = orgOrder
        DispatchQueue.concurrentPerform(iterations: ids.count) { o in
            plans.set(o, Self.plan(organisation: ids[o], files: fileLists[o], inventories: inventories))
        }

        var organisations: [CatalogOrganisation] = []
        var organisationIndex: [String: Int32] = [:]
        var localIndex: [[String: Int32]] = []
        organisations.reserveCapacity(orgOrder.count)
        localIndex.reserveCapacity(orgOrder.count)
        organisationIndex.reserveCapacity(orgOrder.count)
        var itemCount = 0
        for (o, id) in orgOrder.enumerated() {
            let plan = plans.values[o]!
            organisationIndex[id] = Int32(o)
            findings += plan.findings
            localIndex.append(plan.local)
            let header = inventories[plan.headerFile]
            organisations.append(CatalogOrganisation(
                id: id, header: header.organisation, headerFile: header.file,
                files: fileLists[o].map { inventories[$0].file },
                isNational: fileLists[o].allSatisfy { inventories[$0].isNational },
                items: itemCount..<itemCount + plan.kept.count))
            organisations[organisations.count - 1].joinsBuiltIn = !organisations[organisations.count - 1].isNational
                && fileLists[o].contains { inventories[$0].isNational }
            itemCount += plan.kept.count
        }

        // Capabilities numbered in first-seen order over the organisations (a few dozen
        // distinct ids), so each item's code can be looked up in the parallel fill below.
        var capabilityIDs: [String] = []
        var capabilityCodes: [String: Int32] = [:]
        for o in orgOrder.indices {
            for cap in plans.values[o]!.capabilities where capabilityCodes[cap] == nil {
                capabilityCodes[cap] = Int32(capabilityIDs.count)
                capabilityIDs.append(cap)
            }
        }
        let codes = capabilityCodes

        // Items laid out organisation by organisation, each range filled in parallel: each
        // entry (its inventory's items, shared, and an index) written straight into its
        // place, with its capability code.
        let orgs = organisations
        var capabilityIndex = [Int32](repeating: -1, count: itemCount)
        let items = capabilityIndex.withUnsafeMutableBufferPointer { capabilityOut in
            [CatalogItem](unsafeUninitializedCapacity: itemCount) { buffer, initialized in
                guard let start = buffer.baseAddress, let codeStart = capabilityOut.baseAddress else { return }  // no items
                // Each organisation writes only its own range of slots.
                let (itemSlots, codeSlots) = (UncheckedPointer(base: start), UncheckedPointer(base: codeStart))
                DispatchQueue.concurrentPerform(iterations: orgs.count) { o in
                    var slot = orgs[o].items.lowerBound
                    for (f, k) in plans.values[o]!.kept {
                        let siblings = inventories[Int(f)].items
                        if let cap = siblings[Int(k)].capability { codeSlots.base[slot] = codes[cap.value]! }
                        (itemSlots.base + slot).initialize(to: CatalogItem(siblings: siblings, index: k, organisation: Int32(o),
                                                                          file: inventories[Int(f)].file))
                        slot += 1
                    }
                }
                initialized = itemCount
            }
        }

        // Resolve every reference once into CSR adjacency, in parallel chunks of items
        // (the indices are only read here), then stitch the chunks together in order.
        let chunkSize = 8192
        let chunkCount = (items.count + chunkSize - 1) / chunkSize
        let chunks = ParallelSlots<ResolvedChunk>(count: chunkCount)
        let (frozenItems, frozenOrgs) = (items, organisations)
        let (orgIndex, locals) = (organisationIndex, localIndex)
        let orgStart = organisations.map { Int32($0.items.lowerBound) }
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            var chunk = ResolvedChunk()
            for i in c * chunkSize..<min(frozenItems.count, (c + 1) * chunkSize) {
                let first = chunk.targets.count
                let org = Int(frozenItems[i].organisation)
                // A long list is checked for repeats with a set: scanning it for each of its
                // own entries would be quadratic (a hostile item could list a million ids).
                var seen: Set<Int32>? = frozenItems[i].item.dependsOn.count > 64 ? [] : nil
                for ref in frozenItems[i].item.dependsOn {
                    let target: Int32?
                    let (orgPart, itemPart) = Self.split(ref.value)
                    if let orgPart {
                        target = orgIndex[orgPart].flatMap { o in locals[Int(o)][itemPart].map { orgStart[Int(o)] + $0 } }
                    } else {
                        target = locals[org][itemPart].map { orgStart[org] + $0 }
                    }
                    guard let target else {
                        chunk.dangling.append((Int32(i), ref))
                        continue
                    }
                    // A repeated reference adds no edge (a short list is scanned, a long one has `seen`).
                    let repeated = seen != nil ? !seen!.insert(target).inserted : chunk.targets[first...].contains(target)
                    if !repeated {
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
        }
        start[items.count] = Int32(targets.count)
        let forward = Adjacency(start: start, targets: targets)

        // "Did you mean" compares a dangling reference with every id it could have meant, so
        // a file of 20,000 items each naming a misspelt one cost 20,000² comparisons (23 s).
        // The comparisons are budgeted, in file order so that the output does not depend on
        // the threads: the references past the budget are reported without a suggestion.
        let dangling = chunks.values.flatMap { $0?.dangling ?? [] }
        var budget = suggestionBudget
        let largestOrganisation = localIndex.map(\.count).max() ?? 0
        let suggest = dangling.map { (item, ref) -> Bool in
            // The ids "did you mean" would compare it with: its organisation's, the named
            // one's, or (an unknown organisation) every organisation id and then one's items.
            switch Self.split(ref.value).0 {
            case nil: budget -= localIndex[Int(items[Int(item)].organisation)].count
            case let org?:
                if let o = organisationIndex[org] { budget -= localIndex[Int(o)].count }
                else { budget -= organisationIndex.count + largestOrganisation }
            }
            return budget >= 0
        }
        let frozenUnread = unreadFiles
        findings += Array(dangling.indices).parallelChunks(minimumLength: 64) { slice in
            slice.map { k in
                let (item, ref) = dangling[k]
                return Self.unresolved(ref, in: frozenItems[Int(item)], orgID: frozenOrgs[Int(frozenItems[Int(item)].organisation)].id,
                                       organisations: frozenOrgs, organisationIndex: orgIndex, localIndex: locals, suggest: suggest[k],
                                       unread: frozenUnread)
            }
        }.flatMap { $0 }

        // Organisation references in headers: parent and members.
        for org in organisations {
            for ref in [org.header.parent].compactMap({ $0 }) + org.header.members where organisationIndex[ref.value] == nil {
                budget -= organisationIndex.count
                let near = budget >= 0 ? Suggest.nearest(to: ref.value, in: organisationIndex.keys) : nil
                findings.append(Finding(
                    rule: .unresolvedReference, severity: .error,
                    message: "organisation `\(ref.value)` is not in this scan" + (near.map { " — did you mean `\($0)`?" } ?? ""),
                    file: org.headerFile, position: ref.position, organisation: org.id,
                    // A near id is a typo to correct; scanning a misspelt id's inventory is no fix.
                    help: near.map { "correct the id to `\($0)`, or scan the inventory of `\(ref.value)` too if it is another organisation" }
                        ?? "scan the inventory of `\(ref.value)` too, or correct the id"))
            }
        }

        self.capabilityIndex = capabilityIndex
        self.capabilityIDs = capabilityIDs
        self.unreadFiles = unreadFiles
        self.capabilityCodes = capabilityCodes
        self.organisations = organisations
        self.items = items
        self.dependencies = forward
        self.dependents = Self.reversed(forward, nodeCount: items.count)
        self.edgePositions = positions
        self.findings = findings
        self.organisationIndex = organisationIndex
        self.localIndex = localIndex
    }

    /// One organisation's share of building the catalogue.
    struct OrganisationPlan: Sendable {
        /// The file whose header is used (the full one, else the first).
        var headerFile: Int
        /// Kept items as (inventory, item) indices, in order.
        var kept: [(Int32, Int32)] = []
        /// Item id → position in `kept`.
        var local: [String: Int32] = [:]
        /// Capability ids used, in first-seen order.
        var capabilities: [String] = []
        var findings: [Finding] = []
    }

    static func plan(organisation id: String, files: [Int], inventories: [Inventory]) -> OrganisationPlan {
        let full = files.filter { inventories[$0].organisation.isFull }
        // The header used: the first with both name and type (a file that repeats only the name
        // is then the duplicate, whatever the order the files are read in), else the first full one.
        let complete = full.first { inventories[$0].organisation.name != nil && inventories[$0].organisation.type != nil }
        var plan = OrganisationPlan(headerFile: complete ?? full.first ?? files[0])
        let headerSource = inventories[plan.headerFile]
        if full.isEmpty {
            for f in files {
                plan.findings.append(Finding(
                    rule: .missingHeader, severity: .error,
                    message: "organisation `\(id)` has no full header in any file (name and type are missing)",
                    file: inventories[f].file, position: inventories[f].organisation.position, organisation: id,
                    help: "add `name:` and `type:` to the `organisation:` header in exactly one of its files; if another file has them, check the files together (`infra validate DIRECTORY`)"))
            }
        }
        var headerFindings: [Int: Int] = [:]  // file → its duplicate-header finding
        for extra in full where extra != plan.headerFile {
            headerFindings[extra] = plan.findings.count
            plan.findings.append(Finding(
                rule: .duplicateHeader, severity: .error,
                message: "organisation `\(id)` already has a full header in \(headerSource.file):\(headerSource.organisation.position.line)",
                file: inventories[extra].file, position: inventories[extra].organisation.position, organisation: id,
                help: "if this file is more of the same organisation, keep name, type and code in one file (the others repeat only `organisation: {id: \(id)}`); if it is another organisation, give it an id of its own"))
        }
        // A partial header's other fields are not read (the full header's are): one that says
        // something else, or what the full header does not say, would be lost without a word.
        if !full.isEmpty {
            let h = headerSource.organisation
            for f in files where !inventories[f].organisation.isFull {
                let partial = inventories[f].organisation
                var lost: [(key: String, value: Located<String>, theirs: String?)] = []
                for (key, mine, theirs) in [("code", partial.code, h.code), ("org_number", partial.orgNumber, h.orgNumber),
                                            ("county", partial.county, h.county), ("parent", partial.parent, h.parent)] {
                    if let mine, mine.value != theirs?.value { lost.append((key, mine, theirs?.value)) }
                }
                if let first = partial.members.first, Set(partial.members.map(\.value)) != Set(h.members.map(\.value)) {
                    lost.append(("members", Located(partial.members.map(\.value).joined(separator: ", "), at: first.position),
                                 h.members.isEmpty ? nil : h.members.map(\.value).joined(separator: ", ")))
                }
                for (key, value, theirs) in lost {
                    plan.findings.append(Finding(
                        rule: .duplicateHeader, severity: .error,
                        message: "`\(key): \(key == "members" ? "[\(value.value)]" : "\"\(value.value)\"")` is ignored here: `\(id)`'s header fields are read from its full header (\(headerSource.file):\(h.position.line)), which "
                            + (theirs.map { "has \(key == "members" ? "[\($0)]" : "\"\($0)\"")" } ?? "has no `\(key)`"),
                        file: inventories[f].file, position: value.position, organisation: id,
                        help: (theirs == nil ? "move `\(key)` to the full header in \(headerSource.file)"
                               : "if this value is the right one, write it over the full header's in \(headerSource.file)") + ", and delete it here; other files of an organisation repeat only `organisation: {id: \(id)}`"))
                }
            }
        }
        var duplicatesIn: [Int: Int] = [:]  // file → how many of its ids an earlier file has
        let total = files.reduce(0) { $0 + inventories[$1].items.count }
        var seen = Set<String>()
        plan.local.reserveCapacity(total)
        plan.kept.reserveCapacity(total)
        for f in files {
            let inventory = inventories[f]
            for k in inventory.items.indices {
                let itemID = inventory.items[k].id.value
                // One hash lookup per item: insert, and undo only for the rare duplicate.
                if let first = plan.local.updateValue(Int32(plan.kept.count), forKey: itemID) {
                    plan.local[itemID] = first
                    let (ef, ek) = plan.kept[Int(first)]
                    let earlier = inventories[Int(ef)]
                    duplicatesIn[f, default: 0] += 1
                    let earlierLine = earlier.items[Int(ek)].id.position.line
                    // The same place twice: an alias (`- *hall`) repeats the whole item.
                    let repeated = earlier.file == inventory.file && earlierLine == inventory.items[k].id.position.line
                    plan.findings.append(Finding(
                        rule: .duplicateID, severity: .error,
                        message: "item id `\(itemID)` is already used in \(earlier.file):\(earlierLine)"
                            + (repeated ? " — an alias (`*…`) repeats this item whole; delete the alias" : ""),
                        file: inventory.file, position: inventory.items[k].id.position, organisation: id, item: itemID,
                        help: "item ids must be unique across all layers and files of an organisation; rename one, and the `depends_on` entries meant for it"))
                    continue
                }
                plan.kept.append((Int32(f), Int32(k)))
                if let cap = inventory.items[k].capability?.value, seen.insert(cap).inserted { plan.capabilities.append(cap) }
            }
        }
        // A second full header whose every item id is taken already: a copy of the file
        // (`ange (1).yaml`). One error says so instead of one per item.
        let copies = headerFindings.filter { file, _ in
            let items = inventories[file].items.count
            return items > 1 && duplicatesIn[file] == items
        }
        if !copies.isEmpty {
            for (file, k) in copies {
                plan.findings[k].message += " — and all \(inventories[file].items.count) of its item ids are used there too: a copy of that file?"
                plan.findings[k].help = "delete the copy, or give it the organisation's other items and only `organisation: {id: \(id)}`"
            }
            let copied = Set(copies.keys.map { inventories[$0].file })
            plan.findings.removeAll { $0.rule == .duplicateID && copied.contains($0.file ?? "") }
        }
        return plan
    }

    /// How many ids "did you mean" may compare dangling references with in one scan (about
    /// half a second); a country's ~750 planted ones take ~0.4 M.
    public static let suggestionBudget = 10_000_000

    static func unresolved(_ ref: Located<String>, in entry: CatalogItem, orgID: String,
                           organisations: [CatalogOrganisation], organisationIndex: [String: Int32],
                           localIndex: [[String: Int32]], suggest: Bool = true, unread: [String: [String]] = [:]) -> Finding {
        let text = ref.value
        var suggestion: String?
        var itemsOf = ""  // an organisation named where an item belongs: its items, for the help
        var what = "item"
        // An item id its organisation has that starts this one or is started by it, at a
        // `-` (`siths` for `siths-kort`): past what edit distance calls a typo.
        func sharingWords(_ written: String, in ids: Dictionary<String, Int32>.Keys, except: String? = nil) -> String? {
            let dashed = written + "-", bytes = Array(written.utf8)
            // `written` starts with `id` and a `-` (checked on bytes: no String made per id).
            func startsWithWord(_ id: String) -> Bool {
                let n = id.utf8.count
                return n < bytes.count && bytes[n] == UInt8(ascii: "-") && id.utf8.elementsEqual(bytes[..<n])
            }
            return ids.filter { $0 != except && (startsWithWord($0) || $0.hasPrefix(dashed)) }
                .max { ($0.count, $1) < ($1.count, $0) }
        }
        if let slash = text.firstIndex(of: "/") {
            let orgPart = String(text[..<slash]), itemPart = String(text[text.index(after: slash)...])
            if let org = organisationIndex[orgPart] {
                if suggest {
                    let ids = localIndex[Int(org)].keys
                    let valid = IDRules.isValid(itemPart) ? nil : Optional(IDRules.id(itemPart))
                    let renamed = valid.flatMap { localIndex[Int(org)][$0] != nil ? $0 : nil }
                    suggestion = (renamed ?? Suggest.nearest(to: itemPart, in: ids) ?? sharingWords(itemPart, in: ids)).map { orgPart + "/" + $0 }
                }
            } else {
                what = "organisation"
                if suggest, let nearOrg = Suggest.nearest(to: orgPart, in: organisationIndex.keys) {
                    let item = localIndex[Int(organisationIndex[nearOrg]!)][itemPart] != nil ? itemPart
                        : Suggest.nearest(to: itemPart, in: localIndex[Int(organisationIndex[nearOrg]!)].keys)
                    suggestion = item.map { nearOrg + "/" + $0 } ?? nearOrg
                }
            }
        } else if suggest {
            let local = localIndex[Int(entry.organisation)]
            let own = entry.item.id.value, lower = text.lowercased()
            // Another mark where `/` belongs (`inera.siths`, `inera:siths`): the item it names.
            if let mark = text.firstIndex(where: { $0 == "." || $0 == ":" || $0 == "\\" }),
               let org = organisationIndex[String(text[..<mark]).lowercased()] {
                let item = String(text[text.index(after: mark)...]).lowercased()
                if localIndex[Int(org)][item] != nil { suggestion = organisations[Int(org)].id + "/" + item }
            }
            // The id the reference becomes as a valid one (`E_Arkiv` → `e-arkiv`): what an item
            // renamed as its bad-id error said is now called. (Only a reference that is not a
            // valid id itself: the rest are typos, and `IDRules.id` costs tens of thousands of
            // instructions.)
            if suggestion == nil, !IDRules.isValid(text), case let valid = IDRules.id(text), valid != own, local[valid] != nil {
                suggestion = valid
            }
            // Not the item itself: `depends_on: [SITHS]` in item `siths` means the national one.
            if suggestion == nil {
                // The keys as they are (a lazy filter doubled the cost): the item itself only when it is nearest.
                suggestion = Suggest.nearest(to: text, in: local.keys)
                if suggestion == own { suggestion = Suggest.nearest(to: text, in: local.keys.filter { $0 != own }) }
                suggestion = suggestion ?? sharingWords(text, in: local.keys, except: own)
            }
            // An organisation's id (`bankid`, `BankID`): its item of the same id, or its only
            // item; else its items are listed in the help (a national one has a handful).
            if suggestion == nil, let o = organisationIndex[text] ?? organisationIndex[lower] {
                // (Never the depending item itself: `depends_on: [ange]` in Ånge's only item.)
                let id = organisations[Int(o)].id
                let ids = localIndex[Int(o)].keys.filter { !(o == entry.organisation && $0 == own) }
                suggestion = id + "/" + (localIndex[Int(o)][id] != nil && !(o == entry.organisation && id == own) ? id : ids.count == 1 ? ids[0] : "…")
                if ids.count > 1, ids.count <= 8, localIndex[Int(o)][id] == nil {
                    itemsOf = "; the items of `\(id)`: " + ids.sorted().map { "`\(id)/\($0)`" }.joined(separator: ", ")
                }
            }
            // A national component's item by its bare id (`siths` for `inera/siths`): the
            // commonest slip. Only the built-in organisations are looked in (a handful).
            // (Written with å, ä, ö, as Swedish spells it: `npö` for `inera/npo`.)
            let bare = IDRules.isValid(lower) ? lower : IDRules.id(lower)
            if suggestion == nil, let o = organisations.indices.first(where: { organisations[$0].isNational && localIndex[$0][bare] != nil }) {
                suggestion = organisations[o].id + "/" + bare
            }
        }
        var message = "`\(text)` refers to no \(what) in this scan" + (suggestion.map { " — did you mean `\($0)`?" } ?? "")
        // An item whose own id is not valid (a bad-id error): renaming it, as that error says,
        // is the fix for both; pointing at its invalid id would only be undone by it.
        if let suggestion, case let itemPart = split(suggestion).1, itemPart != "…", !IDRules.isValid(itemPart), case let valid = IDRules.id(itemPart) {
            message = "`\(text)` refers to no \(what) in this scan — item `\(suggestion)` may be meant, but its id is not a valid one: rename it to `\(valid)` (its bad-id error)"
                + (split(text).1 == valid ? ", and this reference finds it" : " and refer to it by that")
        }
        // The organisation meant has a file the scan could not read: the item may well be in it.
        let target = split(text).0 ?? orgID
        let unreadHelp = unread[target].map(UnreadFile.mayHold) ?? ""
        let help = unreadHelp + (what == "organisation" && suggestion == nil && IDRules.isValid(split(text).0 ?? "")
            // `sundsvall/x` with no Sundsvall in the scan: its inventory is what is missing.
            ? "scan the inventory of `\(split(text).0 ?? text)` too (give its file or directory), or correct the organisation id"
            : text.contains("/")
            ? "write `org-id/item-id` of an item in a scanned inventory (national components such as `inera/siths` are built in unless --no-national)"
            : "write the id of an item of `\(orgID)`, or `org-id/item-id` for another organisation's item") + itemsOf
        return Finding(rule: .unresolvedReference, severity: .error, message: message,
                       file: entry.file, position: ref.position, organisation: orgID, item: entry.item.id.value,
                       help: help)
    }

    /// `org/item` → ("org", "item"); `item` → (nil, "item"). Splits on UTF-8 bytes with
    /// memchr: a generic or Character-wise search was the slowest part of resolving a country.
    static func split(_ reference: String) -> (String?, String) {
        let slash = reference.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let base = bytes.baseAddress, let hit = memchr(base, Int32(UInt8(ascii: "/")), bytes.count) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        } ?? reference.utf8.firstIndex(of: UInt8(ascii: "/")).map { reference.utf8.distance(from: reference.utf8.startIndex, to: $0) }
        guard let slash else { return (nil, reference) }
        let utf8 = reference.utf8
        let cut = utf8.index(utf8.startIndex, offsetBy: slash)
        return (String(reference[..<cut]), String(reference[utf8.index(after: cut)...]))
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
    /// References that resolve to nothing (item index, reference), in order.
    var dangling: [(Int32, Located<String>)] = []
}

/// A pointer handed to parallel workers that write disjoint ranges of it.
private struct UncheckedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
