import InfraModel

/// Turns one file's event stream into an `Inventory`, typing every scalar by the
/// field it sits in (so `code: 0114` is the text "0114" and `country: NO` is "NO"),
/// and collecting schema findings as it goes instead of stopping at the first.
final class InventoryParser {
    let reader: EventReader
    let file: String
    fileprivate(set) var findings: [Finding] = []
    private var currentItem: String?
    /// Bad item ids and the slug their help suggests, by finding index.
    private var badItemIDs: [(Int, String)] = []
    private var organisation: String?
    /// The header's id as soon as the header is read: whose items a file that breaks below it
    /// leaves out. (Not `organisation`, which findings take: a finding's fingerprint is the
    /// same as before this was kept.)
    private(set) var headerID: String?
    /// Key lists for `walkMapping`, reused across mappings (one pair per nesting level in use).
    private var keyScratch: [SeenKeys] = []

    init(reader: EventReader, file: String) {
        self.reader = reader
        self.file = file
    }

    enum Outcome {
        case inventory(Inventory)
        /// Not an inventory (no `inventory:` key, or not a mapping): skipped with a note,
        /// a warning (`warning`) when the file plainly is one all the same.
        case skipped(reason: String, warning: Finding? = nil)
        /// Unsupported version or no organisation: findings say why.
        case unusable
    }

    func parse() throws(ReadError) -> Outcome {
        guard try reader.next().kind == .streamStart else { return .skipped(reason: "empty file") }
        let docStart = try reader.next()
        if docStart.kind == .streamEnd { return .skipped(reason: "the file is empty (or holds only comments)") }
        let root = try reader.next()
        let outcome: Outcome
        switch root.kind {
        case .mappingStart:
            outcome = try parseRoot(root)
        case .sequenceStart:
            outcome = try listAtTop(root)
        default:
            outcome = .skipped(reason: "its top level is a single value, not a mapping with an `inventory:` key")
        }
        // Exactly one document per file: a second one is an error, not silently ignored.
        if try reader.next().kind == .documentEnd {
            let after = try reader.next()
            if after.kind == .documentStart {
                // A `---` with nothing after it starts an empty document: deleting it is the fix.
                // (What follows a real second document may not even parse: that is its own matter.)
                let empty = (try? reader.next())?.isNull == true
                findings.append(finding(.multipleDocuments, empty
                                            ? "a `---` here starts a second, empty YAML document; an inventory file holds one document"
                                            : "a second YAML document starts here; an inventory file holds one document",
                                        at: after.position, help: empty ? "delete the `---` line" : "split the documents into separate files"))
            }
        }
        attributeFindings()
        return outcome
    }

    /// What is said beside the break of a file YAML could not read to the end that may not be
    /// an inventory at all: the custom tags met, not the schema findings.
    func findingsBesideSyntaxError() -> [Finding] {
        findings.removeAll()
        attributeFindings()
        return findings
    }

    /// Custom tags found while reading, and the organisation on every finding
    /// (including those made before the header was read).
    func attributeFindings() {
        // A value with a custom tag is also of the wrong type, but the tag is what to fix.
        if !reader.tagProblems.isEmpty {
            let tagged = Set(reader.tagProblems.map { [$0.position.line, $0.position.column] })
            findings.removeAll { $0.rule == .wrongType && tagged.contains([Int32($0.line ?? 0), Int32($0.column ?? 0)]) }
        }
        for problem in reader.tagProblems {
            findings.append(finding(problem.rule, problem.message, at: problem.position, help: problem.help))
        }
        if let organisation {
            for i in findings.indices where findings[i].organisation == nil { findings[i].organisation = organisation }
        }
    }

    // MARK: - Top level

    private func parseRoot(_ root: Event) throws(ReadError) -> Outcome {
        var version: Located<String>?
        var versionKey: TextPosition?
        var header: OrganisationHeader?
        var items: [Item] = []
        var sawOrganisation = false
        var organisationKey: TextPosition?
        var nearInventory: (String, TextPosition)?, versionLike: (String, TextPosition)?
        try walkMapping { key, name, position throws(ReadError) in
            switch key {
            case .inventory:
                versionKey = position
                let e = try self.reader.next()
                try self.skipRest(of: e)
                version = Located(e.kind == .scalar && !e.isNull ? e.text : "(\(e.kind == .scalar ? "empty" : "not a number"))", at: e.position)
            case .organisation:
                sawOrganisation = true
                organisationKey = organisationKey ?? position
                header = try self.parseHeader()
                if let header { self.headerID = header.id.value }
            case .services, .soft, .hard:
                try self.parseItems(layer: Layer(rawValue: name)!, into: &items)
            default:
                if name.hasPrefix("x-") { try self.skipValue() } else {
                    if nearInventory == nil, Suggest.nearest(to: name.lowercased(), in: ["inventory"]) != nil { nearInventory = (name, position) }
                    // The version under another name (`version: 1`); telling only beside an
                    // `organisation:` (docker-compose and Kubernetes files have a `version` too).
                    if versionLike == nil, name.lowercased().contains("version") { versionLike = (name, position) }
                    _ = try self.unknownKey(name, at: position, known: ["inventory", "organisation", "services", "soft", "hard"])
                }
            }
        }
        guard let version, versionKey != nil else {
            // Skipped, as the format says of YAML without the key. But a file that plainly is
            // an inventory (a key spelt almost like it, `Inventory: 1`, or an `organisation:`
            // header) gets a warning, not an info: its organisation drops out of every report.
            if let (name, position) = nearInventory {
                return .skipped(reason: "it has no top-level `inventory:` key", warning: finding(
                    .inventoryKeyMissing, "`\(name):` is spelt almost like `inventory:`, which every inventory has; the file is skipped",
                    at: position, help: "write it `inventory: 1`", severity: .warning))
            }
            if organisationKey != nil, let (name, position) = versionLike {
                return .skipped(reason: "it has no top-level `inventory:` key", warning: finding(
                    .inventoryKeyMissing, "`\(name):` gives a version where `inventory:`, which every inventory has, belongs; the file is skipped",
                    at: position, help: "write it `inventory: 1`", severity: .warning))
            }
            if let organisationKey {
                return .skipped(reason: "it has no top-level `inventory:` key", warning: finding(
                    .inventoryKeyMissing, "the file has an `organisation:` header but no `inventory: 1`; it is skipped as other YAML",
                    at: organisationKey, help: "add the line `inventory: 1` above `organisation:`", severity: .warning))
            }
            return .skipped(reason: "it has no top-level `inventory:` key")
        }
        guard version.value == "1" else {
            // Other keys mean something else in another version: report only the version.
            findings = [finding(.unsupportedVersion,
                                    "inventory format version \"\(version.value)\" is not supported; this infra reads version 1",
                                    at: version.position, help: "write `inventory: 1`, or use an infra that reads this version")]
            return .unusable
        }
        guard let header else {
            if !sawOrganisation {
                findings.append(finding(.missingRequired, "the inventory has no `organisation:` header",
                                        at: root.position, help: "add `organisation: {id: …, name: …, type: …}`, or only `organisation: {id: …}` if another file of the organisation has its name and type"))
            }
            return .unusable
        }
        organisation = header.id.value
        // A bad item id's suggested slug that another item of the file has already
        // (`Serverhall` beside `serverhall`), or that is suggested above for another bad id
        // (`Server Hall`, `server_hall`): the next free one, or renaming makes a duplicate.
        if !badItemIDs.isEmpty {
            let existing = Set(items.map(\.id.value))
            var taken = existing
            for (k, slug) in badItemIDs where k < findings.count && findings[k].rule == .badID {
                guard taken.contains(slug) else {
                    taken.insert(slug)
                    continue
                }
                var n = 2
                while taken.contains("\(slug)-\(n)") { n += 1 }
                taken.insert("\(slug)-\(n)")
                findings[k].help = Self.badIDHelp("\(slug)-\(n)", taken: slug, bySuggestion: !existing.contains(slug))
            }
        }
        return .inventory(Inventory(file: file, version: 1, organisation: header, items: items))
    }

    private func parseHeader() throws(ReadError) -> OrganisationHeader? {
        let start = try reader.next()
        guard start.kind == .mappingStart else {
            try wrongType(start, "organisation", expected: "a mapping with id, name and type")
            return nil
        }
        var id: Located<String>?
        var name: Located<String>?, type: Located<OrganisationType>?, code: Located<String>?
        var orgNumber: Located<String>?, county: Located<String>?, parent: Located<String>?
        var members: [Located<String>] = []
        var contact: String?
        var extensions: [String: String] = [:]
        var written = Written()
        var renames = Renames()
        let headerKeys = try walkMapping { key, keyName, position throws(ReadError) in
            switch key {
            case .id: id = try self.readSlug("id")
            case .name: name = try written.read(.name, at: position, self) { () throws(ReadError) in try self.readText("name") }
            case .type: type = try written.read(.type, at: position, self) { () throws(ReadError) in try self.readEnum("type", OrganisationType.self) }
            case .code: code = try self.readText("code")
            case .org_number: orgNumber = try self.readText("org_number")
            case .county: county = try self.readText("county")
            case .parent: parent = try self.readSlug("parent")
            case .members: members = try self.readTextList("members")
            case .contact: contact = try self.readText("contact")?.value
            default:
                if keyName.hasPrefix("x-") { extensions[keyName] = try self.readExtension() } else {
                    written.misspelt(renames.suggested(at: self.findings.count, try self.unknownKey(keyName, at: position, known: Self.headerKeys)))
                }
            }
        }
        renames.revise(&findings, keys: headerKeys, in: "the header")
        guard let id else {
            findings.append(finding(.missingRequired, "`organisation:` has no `id`", at: start.position,
                                    help: "add `id:` with the organisation's slug, e.g. `id: upplands-vasby`"))
            return nil
        }
        var header = OrganisationHeader(id: id, position: start.position)
        // A blank name (`name: ""`) still makes the header a full one (it has a name), told as empty.
        let blankName = name.map { Self.isBlank($0.value) } ?? false
        header.name = blankName ? nil : name
        header.type = type
        header.code = code
        header.orgNumber = orgNumber
        header.county = county
        header.parent = parent
        header.members = members
        header.contact = contact
        header.extensions = extensions
        if header.isFull || blankName {
            if blankName {
                findings.append(emptyKey("name", of: "the organisation header", at: name!.position))
            } else if name == nil, !written.reportIfEmpty(.name, of: "the organisation header", self) {
                findings.append(finding(.missingRequired, "the organisation header has a type but no `name`", at: start.position,
                                        help: "add `name:`, e.g. `name: Upplands Väsby kommun`"))
            }
            if type == nil, !written.reportIfEmpty(.type, of: "the organisation header", self) {
                findings.append(finding(.missingRequired, "the organisation header has a name but no `type`", at: start.position,
                                        help: "add `type:` (kommun, region, myndighet, bolag, forbund or annan)"))
            }
        }
        return header
    }

    static let headerKeys = ["id", "name", "type", "code", "org_number", "county", "parent", "members", "contact"]
    static let itemKeys = ["id", "name", "capability", "status", "end_of_support", "product", "vendor", "standards",
                           "critical", "depends_on", "coverage", "reviewed", "sensitivity", "tags", "notes"]

    // MARK: - Items

    /// Appends the layer's items to `items`: one array for the whole file, so items
    /// (a few hundred bytes each) are not copied from a list per layer into it.
    private func parseItems(layer: Layer, into items: inout [Item]) throws(ReadError) {
        let start = try reader.next()
        if start.isNull { return }
        guard start.kind == .sequenceStart else {
            try wrongType(start, layer.rawValue, expected: "a list of items")
            return
        }
        // Items take about 150 bytes of YAML each: reserve once instead of regrowing.
        if items.isEmpty { items.reserveCapacity(max(16, reader.byteCount / 150)) }
        while true {
            let e = try reader.next()
            if e.kind == .sequenceEnd { break }
            try parseItem(e, layer: layer, into: &items)
        }
    }

    /// Parses one item straight into `items` (an item is a few hundred bytes: building it
    /// in place saves copying it twice); an item without an id is taken out again.
    private func parseItem(_ start: Event, layer: Layer, into items: inout [Item]) throws(ReadError) {
        guard start.kind == .mappingStart else {
            try wrongType(start, "an item of \(layer.rawValue)", expected: "a mapping with id, name and capability")
            return
        }
        items.append(Item(id: Located("", at: .unknown), layer: layer, position: start.position))
        let slot = items.count - 1
        var hasID = false
        currentItem = nil
        let firstFinding = findings.count
        var written = Written()
        var renames = Renames()
        let itemKeys = try walkMapping { key, keyName, position throws(ReadError) in
            switch key {
            case .id:
                if let id = try self.readSlug("id", itemID: true) {
                    items[slot].id = id
                    hasID = true
                    self.currentItem = id.value
                }
            case .name: items[slot].name = try written.read(.name, at: position, self) { () throws(ReadError) in try self.readRequiredText("name") }
            case .capability: items[slot].capability = try written.read(.capability, at: position, self) { () throws(ReadError) in try self.readRequiredText("capability") }
            case .status:
                let status = try self.readEnum("status", ItemStatus.self)
                items[slot].status = status?.value ?? .active
                items[slot].statusPosition = status?.position ?? position
            case .end_of_support: items[slot].endOfSupport = try self.readDate("end_of_support")
            // A blank product or vendor (a starter's `product: ""` left as it was) is none.
            case .product: items[slot].product = try self.readText("product").flatMap(Self.nonBlank)
            case .vendor: items[slot].vendor = try self.readText("vendor").flatMap(Self.nonBlank)?.value
            case .standards: items[slot].standards = try self.readTextList("standards")
            case .critical: items[slot].critical = try self.readBool("critical") ?? false
            case .depends_on: items[slot].dependsOn = try self.readTextList("depends_on")
            case .coverage:
                items[slot].coverage = try self.readShares()
                if layer != .hard {
                    self.findings.append(self.finding(.coverageOutsideHard,
                                                      "`coverage` is for hard-layer items (networks), not \(layer.rawValue)",
                                                      at: position, help: "if the item is a network, move it under `hard:`; else remove `coverage:`: it is a network's reach, which only hard-layer items (broadband, fibre, city networks) have"))
                }
            case .reviewed: items[slot].reviewed = try self.readDate("reviewed")
            case .sensitivity: items[slot].sensitivity = try self.readEnum("sensitivity", Sensitivity.self)?.value ?? .internal
            case .tags: items[slot].tags = try self.readTextList("tags").map(\.value)
            case .notes: items[slot].notes = try self.readText("notes")?.value
            default:
                if keyName.hasPrefix("x-") { items[slot].extensions[keyName] = try self.readExtension() } else {
                    written.misspelt(renames.suggested(at: self.findings.count, try self.unknownKey(keyName, at: position, known: Self.itemKeys)))
                }
            }
        }
        renames.revise(&findings, keys: itemKeys, in: "this item")
        defer { currentItem = nil }
        // Findings made before `id:` was reached still belong to this items[slot].
        for i in firstFinding..<findings.count where findings[i].item == nil && hasID {
            findings[i].item = items[slot].id.value
        }
        guard hasID else {
            findings.append(finding(.missingRequired, "an item of `\(layer.rawValue)` has no `id`", at: start.position,
                                    help: "add `id:` with a slug unique in the organisation, e.g. `id: e-arkiv`"))
            items.removeLast()
            return
        }
        if items[slot].name == nil, !written.reportIfEmpty(.name, of: "item `\(items[slot].id.value)`", self) {
            findings.append(finding(.missingRequired, "item `\(items[slot].id.value)` has no `name`", at: start.position,
                                    help: "add `name:` with what people call it"))
        }
        if items[slot].capability == nil, !written.reportIfEmpty(.capability, of: "item `\(items[slot].id.value)`", self) {
            findings.append(finding(.missingRequired, "item `\(items[slot].id.value)` has no `capability`", at: start.position,
                                    help: "add `capability:` with a term of the vocabulary (`infra vocabulary` lists them)"))
        }
    }

    // MARK: - Mappings

    /// Walks the keys of a mapping whose start event was just read, calling `handle`
    /// with each key; `handle` must consume the value. Duplicate keys are reported,
    /// and YAML merge keys (`<<: *defaults`) are honoured: explicit keys win.
    /// Returns the known keys the mapping has, as bits (`1 << Key.rawValue`).
    @discardableResult
    private func walkMapping(_ handle: (Key, String, TextPosition) throws(ReadError) -> Void) throws(ReadError) -> UInt64 {
        // Mappings have a dozen keys at most: reused lists (`SeenKeys`) beat hashing into a new Set.
        var explicit = keyScratch.popLast() ?? SeenKeys(), merged = keyScratch.popLast() ?? SeenKeys()
        explicit.removeAll(keepingCapacity: true)
        merged.removeAll(keepingCapacity: true)
        defer { keyScratch.append(contentsOf: [explicit, merged]) }
        var explicitBits: UInt64 = 0, mergedBits: UInt64 = 0
        try walkKeys(explicit: &explicit, merged: &merged, explicitBits: &explicitBits, mergedBits: &mergedBits,
                     merging: false, handle)
        return explicitBits | mergedBits
    }

    private func walkKeys(explicit: inout SeenKeys, merged: inout SeenKeys,
                          explicitBits: inout UInt64, mergedBits: inout UInt64, merging: Bool,
                          _ handle: (Key, String, TextPosition) throws(ReadError) -> Void) throws(ReadError) {
        while true {
            let k = try reader.next()
            switch k.kind {
            case .mappingEnd:
                return
            case .scalar where k.mergeKey:
                let v = try reader.next()
                if v.kind == .mappingStart {
                    try walkKeys(explicit: &explicit, merged: &merged, explicitBits: &explicitBits, mergedBits: &mergedBits,
                                     merging: true, handle)
                } else if v.kind == .sequenceStart {
                    while true {
                        let m = try reader.next()
                        if m.kind == .sequenceEnd { break }
                        if m.kind == .mappingStart {
                            try walkKeys(explicit: &explicit, merged: &merged, explicitBits: &explicitBits, mergedBits: &mergedBits,
                                     merging: true, handle)
                        } else {
                            try wrongType(m, "<<", expected: "a mapping (an alias such as *defaults)")
                        }
                    }
                } else {
                    try wrongType(v, "<<", expected: "a mapping or a list of mappings")
                }
            case .scalar:
                let key = k.text
                // Known keys are tracked as bits; only other keys (x-…, typos) need a list.
                let bit: UInt64 = k.key == .other ? 0 : 1 << UInt64(k.key.rawValue)
                if merging {
                    if bit != 0 ? (explicitBits | mergedBits) & bit != 0 : explicit.contains(key) || merged.contains(key) {
                        try skipValue()
                        continue
                    }
                    if bit != 0 { mergedBits |= bit } else { merged.insert(key) }
                } else {
                    if bit != 0 ? explicitBits & bit != 0 : explicit.contains(key) {
                        // A second list of items (`services:` twice) is lost if a line is just
                        // removed: its items belong in the first.
                        let layer = k.key == .services || k.key == .soft || k.key == .hard
                        findings.append(finding(.duplicateKey, "key `\(key)` appears twice in this mapping; only the first is read"
                                                    + (layer ? ", so the items under this one are left out" : ""),
                                                at: k.position, help: layer
                                                    ? "move the items under this `\(key):` into the first `\(key):` list, then delete this line"
                                                    : "keep one `\(key):`: put what this one says into the first (only the first is read), then delete this one"))
                        try skipValue()
                        continue
                    }
                    if bit != 0 { explicitBits |= bit } else { explicit.insert(key) }
                }
                try handle(k.key, key, k.position)
            case .mappingStart, .sequenceStart:
                findings.append(finding(.wrongType, "a key must be plain text, not a list or mapping", at: k.position,
                                        help: "write `key: value`"))
                try skipRest(of: k)
                try skipValue()
            default:
                throw ReadError(rule: .yamlSyntax, message: "unexpected YAML structure", position: k.position)
            }
        }
    }

    // MARK: - Typed values

    /// Text of a scalar field; nil for null or (with a finding) for a list/mapping.
    /// `expected`: what the field holds, as a wrong type is told (a list where a date belongs
    /// is not "text").
    func readText(_ field: String, expected: String = "text") throws(ReadError) -> Located<String>? {
        let e = try reader.next()
        guard e.kind == .scalar else {
            try wrongType(e, field, expected: expected)
            return nil
        }
        return e.isNull ? nil : Located(e.text, at: e.position)
    }

    /// A required text: blank (`name: ""`) counts as not given, so it is told as empty.
    private func readRequiredText(_ field: String) throws(ReadError) -> Located<String>? {
        try readText(field).flatMap(Self.nonBlank)
    }

    static func nonBlank(_ text: Located<String>) -> Located<String>? { isBlank(text.value) ? nil : text }

    /// Empty or only spaces and tabs.
    static func isBlank(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    }

    /// A required key written with no value.
    func emptyKey(_ key: String, of owner: String, at position: TextPosition) -> Finding {
        finding(.missingRequired, "\(owner) has an empty `\(key):`", at: position, help: "write the \(key) after `\(key):`")
    }


    /// `itemID`: an item's own id, whose suggested slug is checked against the file's others.
    private func readSlug(_ field: String, itemID: Bool = false) throws(ReadError) -> Located<String>? {
        guard let text = try readText(field) else { return nil }
        if IDRules.isValid(text.value) {
            return text
        }
        if let invisible = Invisible.describe(text.value) {
            findings.append(finding(.badID, "`\(field)` \"\(text.value)\" is not a valid id: it has \(invisible)",
                                    at: text.position, help: "delete it (text pasted from a word processor or a web page often has one)"))
        } else {
            let slug = Self.slugify(text.value)
            if itemID { badItemIDs.append((findings.count, slug)) }
            findings.append(finding(.badID, "`\(field)` \"\(text.value)\" is not a valid id", at: text.position, help: Self.badIDHelp(slug)))
        }
        return text
    }

    /// A value as an entry of a `[…]` list in a suggestion: as it is when YAML reads it back
    /// as the same text, else double-quoted (`#skola` would start a comment, `a: b` a
    /// mapping, `&x` an anchor, `a, b` two entries).
    /// Several values with commas between them (`depends_on: k, wan`) were meant as a list:
    /// each becomes an entry (`[k, wan]`).
    static func flowEntries(_ text: String) -> String {
        let parts = text.split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count > 1, !parts.contains(where: \.isEmpty) else { return flowEntry(text) }
        return parts.map(flowEntry).joined(separator: ", ")
    }

    static func flowEntry(_ text: String) -> String {
        let plain = !text.isEmpty && text.trimmingCharacters(in: .whitespaces) == text
            && !"-?:,[]{}#&*!|>'\"%@`".contains(text.first!)
            && !text.contains(where: { ",[]{}\"\\".contains($0) || $0.unicodeScalars.first!.properties.generalCategory == .control })
            && !text.contains(": ") && !text.contains(" #") && !text.hasSuffix(":")
        return plain ? text : doubleQuoted(text)
    }

    /// What to write instead of a bad id; `taken`: the slug it would have been, which another
    /// item has.
    static func badIDHelp(_ slug: String, taken: String? = nil, bySuggestion: Bool = false) -> String {
        "use lowercase a–z, digits and '-', starting and ending with a letter or digit, e.g. `\(slug)`"
            + (taken.map { bySuggestion ? " (`\($0)` is suggested above for another item)" : " (`\($0)` is taken)" } ?? "")
    }

    /// A suggestion for a bad id: the id `infra init` would make of it.
    static func slugify(_ s: String) -> String {
        let id = IDRules.id(s)
        return id.isEmpty ? "my-id" : id
    }

    private func readEnum<E: RawRepresentable & CaseIterable>(_ field: String, _: E.Type) throws(ReadError) -> Located<E>?
    where E.RawValue == String {
        guard let text = try readText(field) else { return nil }
        if let v = E(rawValue: text.value) { return Located(v, at: text.position) }
        let options = E.allCases.map(\.rawValue)
        let near = Suggest.nearest(to: text.value.lowercased(), in: options)
        findings.append(finding(.badEnum,
                                "`\(field)` is \"\(text.value)\"; it must be one of \(options.joined(separator: ", "))"
                                    + (near.map { " — did you mean `\($0)`?" } ?? ""),
                                at: text.position, help: "write one of: \(options.joined(separator: ", "))"))
        return nil
    }

    private func readDate(_ field: String) throws(ReadError) -> Located<CalendarDate>? {
        guard let text = try readText(field, expected: "a YYYY-MM-DD date") else { return nil }
        if let d = CalendarDate(iso: text.value) { return Located(d, at: text.position) }
        if let (why, date) = Self.nearDate(text.value) {
            findings.append(finding(.badDate, "`\(field)` \"\(text.value)\" \(why); dates are written YYYY-MM-DD", at: text.position,
                                    help: "write it \(date)"))
        } else {
            findings.append(finding(.badDate, "`\(field)` \"\(text.value)\" is not a valid date", at: text.position,
                                    // `reviewed`: the day it was checked (a fixed example would age into stale-review).
                                    help: field == "reviewed" ? "write the day it was last checked, as YYYY-MM-DD"
                                        : "write a real calendar date as YYYY-MM-DD, e.g. 2027-06-30"))
        }
        return nil
    }

    /// A real date written another common way (a timestamp, `2024-1-5`, `2024/01/05`): why it
    /// is not accepted, and the date as it is written.
    static func nearDate(_ text: String) -> (why: String, date: String)? {
        if let cut = text.firstIndex(where: { $0 == "T" || $0 == " " }), let d = CalendarDate(iso: String(text[..<cut])) {
            return ("has a time of day", d.description)
        }
        // Eight digits: the date without its hyphens (`20270630`).
        if text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }),
           let d = CalendarDate(iso: "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.suffix(2))") {
            return ("has no hyphens", d.description)
        }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
        // The day first (`30/06/2027`), when the day tells it (above 12: no month); `05/01/2024`
        // could be either, and gets the general help.
        if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2, let day = Int(parts[0]), day > 12,
           let d = CalendarDate(iso: "\(parts[2])-\(parts[1].count == 1 ? "0" : "")\(parts[1])-\(parts[0])") {
            return ("puts the day first", d.description)
        }
        guard parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2 else { return nil }
        let (year, month, day) = (String(parts[0]), String(parts[1]), String(parts[2]))
        let padded = year + "-" + (month.count == 1 ? "0" + month : month) + "-" + (day.count == 1 ? "0" + day : day)
        guard let d = CalendarDate(iso: padded) else { return nil }
        return (text.contains("-") && !text.contains("/") && !text.contains(".") ? "needs two digits for the month and the day"
                    : "is written with other separators", d.description)
    }

    private func readBool(_ field: String) throws(ReadError) -> Bool? {
        guard let text = try readText(field, expected: "true or false") else { return nil }
        switch text.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            findings.append(finding(.wrongType, "`\(field)` is \"\(text.value)\"; it must be true or false",
                                    at: text.position, help: "write `\(field): true` or `\(field): false`"))
            return nil
        }
    }

    /// A list of scalars; null is the empty list.
    func readTextList(_ field: String) throws(ReadError) -> [Located<String>] {
        let e = try reader.next()
        if e.isNull { return [] }
        guard e.kind == .sequenceStart else {
            if e.kind == .scalar {
                findings.append(finding(.wrongType, "`\(field)` must be a list, not a single value", at: e.position,
                                        help: "write `\(field): [\(Self.flowEntries(e.text))]`"))
            } else {
                try wrongType(e, field, expected: "a list")
            }
            return []
        }
        var out: [Located<String>] = []
        out.reserveCapacity(4)
        while true {
            let v = try reader.next()
            if v.kind == .sequenceEnd { break }
            if v.kind == .scalar {
                if !v.isNull { out.append(Located(v.text, at: v.position)) }
            } else {
                try wrongType(v, "an entry of `\(field)`", expected: "text")
            }
        }
        return out
    }

    /// `coverage:` — a mapping of shares, each 0–1 or a percentage such as "97%".
    private func readShares() throws(ReadError) -> [String: Double] {
        let e = try reader.next()
        if e.isNull { return [:] }
        guard e.kind == .mappingStart else {
            try wrongType(e, "coverage", expected: "a mapping such as {households: 0.97, workplaces: 0.91}")
            return [:]
        }
        var out: [String: Double] = [:]
        try walkMapping { _, key, position throws(ReadError) in
            if key.hasPrefix("x-") { return try self.skipValue() }
            let e = try self.reader.next()
            guard e.kind == .scalar else {
                return try self.wrongType(e, "coverage.\(key)", expected: "a share such as 0.97 or \"97%\"")
            }
            guard !e.isNull else {
                // `{households: 0,97}`: in a `{…}` mapping a comma ends an entry, so a
                // decimal comma leaves a share of 0 and a key `97` with nothing. (An area
                // left empty otherwise is no share, as before.)
                if !key.isEmpty, key.allSatisfy(\.isNumber) {
                    self.findings.append(self.finding(.badValue, "`coverage` has an entry `\(key)` with no share: a decimal comma splits a share in two inside `{…}`",
                                                      at: position, help: "write the share with a decimal point, e.g. 0.\(key)"))
                }
                return
            }
            let text = Located(e.text, at: e.position)
            if let share = Self.share(text.value) {
                out[key] = share
            } else {
                // What a word processor or a Swedish hand puts in: said, as they look like the real thing.
                var why = ""
                if let space = text.value.unicodeScalars.first(where: { $0 == "\u{A0}" || $0 == "\u{202F}" }) {
                    why = ": it has a no-break space (U+\(String(space.value, radix: 16, uppercase: true))), which word processors put before %; use a plain space or none"
                } else if text.value.contains(",") {
                    why = ": a decimal comma; shares are written with a decimal point"
                }
                self.findings.append(self.finding(.badValue, "`coverage.\(key)` \"\(text.value)\" is not a share" + why,
                                                  at: text.position, help: "write a number from 0 to 1 (0.97) or a percentage (\"97%\", \"97.5%\")"))
            }
        }
        return out
    }

    static func share(_ text: String) -> Double? {
        let t = text.trimming(" ")
        if t.hasSuffix("%"), let p = Double(String(t.dropLast()).trimming(" ")), (0...100).contains(p) { return p / 100 }
        if let v = Double(t), (0...1).contains(v) { return v }
        return nil
    }

    private func readExtension() throws(ReadError) -> String {
        let e = try reader.next()
        if e.kind == .scalar { return e.text }
        try skipRest(of: e)
        return "…"
    }

    // MARK: - Skipping and findings

    func skipValue() throws(ReadError) {
        try skipRest(of: try reader.next())
    }

    /// A top-level list, read past. Skipped, as the format says; but an inventory written as
    /// a list's entry (`- inventory: 1`, the whole file indented under it) gets a warning
    /// where it starts, as a misspelt `inventory:` does: its organisation drops out of every
    /// report.
    private func listAtTop(_ root: Event) throws(ReadError) -> Outcome {
        let reason = "its top level is a list, not a mapping with an `inventory:` key"
        let first = try reader.next()
        var keys: Set<String> = []
        if first.kind == .mappingStart {
            while true {
                let key = try reader.next()
                if key.kind == .mappingEnd || key.kind == .streamEnd { break }
                if key.kind == .scalar { keys.insert(key.text) } else { try skipRest(of: key) }
                try skipRest(of: try reader.next())
            }
        } else if first.kind != .sequenceEnd {
            try skipRest(of: first)
        }
        if first.kind != .sequenceEnd { try skipRest(of: root) }
        guard keys.contains("inventory") || keys.contains("organisation") else { return .skipped(reason: reason) }
        return .skipped(reason: reason, warning: finding(
            .inventoryKeyMissing, "the inventory is written as an entry of a list (`- \(keys.contains("inventory") ? "inventory" : "organisation"):`); "
                + "an inventory file's top level is a mapping, so the file is skipped",
            at: first.position, help: "delete the `- ` before the first key and the indentation it added to the lines below", severity: .warning))
    }

    /// Consumes the rest of a node whose first event is `start`.
    func skipRest(of start: Event) throws(ReadError) {
        guard start.kind == .mappingStart || start.kind == .sequenceStart else { return }
        var depth = 1
        while depth > 0 {
            switch try reader.next().kind {
            case .mappingStart, .sequenceStart: depth += 1
            case .mappingEnd, .sequenceEnd: depth -= 1
            case .streamEnd: return
            default: break
            }
        }
    }

    private func wrongType(_ e: Event, _ field: String, expected: String) throws(ReadError) {
        let got = switch e.kind {
        case .mappingStart: "a mapping"
        case .sequenceStart: "a list"
        default: e.isNull ? "empty" : "\"\(e.text)\""
        }
        // A key is named in backticks; a description ("an item of hard") is not.
        let named = field.contains(" ") ? field.prefix(1).uppercased() + field.dropFirst() : "`\(field)`"
        findings.append(finding(.wrongType, "\(named) must be \(expected), not \(got)", at: e.position,
                                help: "write \(field) as \(expected)"))
        try skipRest(of: e)
    }

    /// Returns the known key it is nearest to, if any.
    private func unknownKey(_ key: String, at position: TextPosition, known: [String]) throws(ReadError) -> String? {
        // Pasted no-break spaces look like indentation but are part of the key for YAML.
        if let invisible = Invisible.describe(key) {
            findings.append(finding(.unknownKey, "unknown key `\(key)`: it has \(invisible), which YAML takes as part of the key",
                                    at: position, help: "replace it with an ordinary space, or delete it (text pasted from a word processor or a web page often has one)"))
            try skipValue()
            return nil
        }
        let near = Suggest.nearest(to: key, in: known)
        findings.append(finding(.unknownKey,
                                "unknown key `\(key)`" + (near.map { " — did you mean `\($0)`?" } ?? ""),
                                at: position,
                                help: near.map { "rename it to `\($0)` (a key of your own would start with `x-`)" }
                                    ?? "known keys here: \(known.joined(separator: ", ")); prefix custom keys with `x-`"))
        try skipValue()
        return near
    }

    func finding(_ rule: RuleID, _ message: String, at position: TextPosition, help: String? = nil,
                 severity: Severity = .error) -> Finding {
        Finding(rule: rule, severity: severity, message: message, file: file, position: position,
                item: currentItem, help: help)
    }
}

extension StringProtocol {
    /// Without the characters `trimmed` picks at either end.
    func trimming(where trimmed: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let c = s.first, trimmed(c) { s.removeFirst() }
        while let c = s.last, trimmed(c) { s.removeLast() }
        return String(s)
    }

    /// Without `character` at either end (a share's spaces: no list made per value).
    func trimming(_ character: Character) -> String { trimming { $0 == character } }
}

/// Required keys that were written but gave no value: told as such, at the key, instead of
/// as missing (whose help, "add `name:`", would make a duplicate key). Kept in bits and three
/// positions: it is made for every item of a country.
/// Unknown keys whose nearest known key the same mapping also has (`dependson:` beside
/// `depends_on:`): renamed as suggested, the two would be a duplicate key and one of them
/// lost, so their help says to move the entries over instead.
struct Renames {
    private var suggestions: [(finding: Int, key: String)] = []

    /// Notes the suggestion of the unknown-key finding about to be made at `finding`.
    mutating func suggested(at finding: Int, _ key: String?) -> String? {
        if let key { suggestions.append((finding, key)) }
        return key
    }

    /// `keys`: the known keys the mapping has, as `walkMapping` returns them (no set of names
    /// is kept per item: the loader walks a quarter of a million of them for a country).
    func revise(_ findings: inout [Finding], keys: UInt64, in place: String) {
        for (k, key) in suggestions where k < findings.count && findings[k].rule == .unknownKey {
            guard let known = Key.allCases.first(where: { $0 != .other && $0.name == key }), keys & (1 << UInt64(known.rawValue)) != 0 else { continue }
            findings[k].help = "\(place) has `\(key):` already (only one is read): move what this one holds into it, then delete this line"
        }
    }
}

struct Written {
    enum Key: UInt8 {
        case name = 1, type = 2, capability = 4
        var text: String {
            switch self {
            case .name: "name"
            case .type: "type"
            case .capability: "capability"
            }
        }
    }
    /// Keys present, whatever their value; keys whose value was empty (null) with no other finding.
    private var present: UInt8 = 0, empty: UInt8 = 0
    private var namePosition = TextPosition.unknown, typePosition = TextPosition.unknown, capabilityPosition = TextPosition.unknown

    mutating func read<T>(_ key: Key, at position: TextPosition, _ parser: InventoryParser,
                          _ body: () throws(ReadError) -> T?) throws(ReadError) -> T? {
        present |= key.rawValue
        let before = parser.findings.count
        let value = try body()
        if value == nil, parser.findings.count == before {
            empty |= key.rawValue
            switch key {
            case .name: namePosition = position
            case .type: typePosition = position
            case .capability: capabilityPosition = position
            }
        }
        return value
    }

    /// A key written wrong (`Name:`) whose unknown-key finding names `key` as the one meant:
    /// its rename is the fix, so the key is not told as missing too.
    mutating func misspelt(_ key: String?) {
        for k in [Key.name, .type, .capability] where k.text == key { present |= k.rawValue }
    }

    /// Reports `key` as empty when it was written so; returns whether it was written at all
    /// (then it is not missing: a wrong value has its own finding already).
    func reportIfEmpty(_ key: Key, of owner: @autoclosure () -> String, _ parser: InventoryParser) -> Bool {
        if empty & key.rawValue != 0 {
            let position = switch key {
            case .name: namePosition
            case .type: typePosition
            case .capability: capabilityPosition
            }
            parser.findings.append(parser.emptyKey(key.text, of: owner(), at: position))
        }
        return present & key.rawValue != 0
    }
}

/// The other keys (x-…, typos) of one mapping read so far. A list, as a mapping has a few at
/// most; past 32, a set beside it (a mapping of 30,000 keys compared each with all before
/// it: 4 s for a 1 MB file).
struct SeenKeys {
    private var list: [String] = []
    private var set: Set<String>?

    func contains(_ key: String) -> Bool { set?.contains(key) ?? list.contains(key) }

    mutating func insert(_ key: String) {
        list.append(key)
        if set != nil { set!.insert(key) } else if list.count > 32 { set = Set(list) }
    }

    mutating func removeAll(keepingCapacity: Bool) {
        list.removeAll(keepingCapacity: keepingCapacity)
        set = nil
    }
}
