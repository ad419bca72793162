import CSQLite
import InfraModel

// `items.digest`: a 64-bit hash of the fields `infra diff` compares, written with every
// item, so that comparing two snapshots reads four columns per item and the fields of
// changed items only. The same function hashes the rows the store writes (`SnapshotWriter`),
// the items of a snapshot in memory (the inventories on disk, in `infra diff PATH`), and,
// as the SQL function `infra_item_digest()`, rows written before the column existed
// (migration 2).

/// The compared fields of an item, in the order of `items`' columns, and how each one is
/// hashed (`FieldDigest`) and shown. Where an item is written (file, line) is not compared:
/// moving an item to another file, or scanning from another directory, changes nothing.
/// `depends_on` is compared as dependencies added and removed.
enum ItemFields {
    static let names = ["layer", "name", "capability", "status", "end_of_support", "product", "vendor", "standards",
                        "critical", "coverage", "reviewed", "sensitivity", "tags", "notes"]
    static let columns = "layer, name, capability, status, end_of_support, product, vendor, standards, critical, coverage, reviewed, sensitivity, tags, notes"
    static let critical = 8

    /// An item's fields as the store writes them (`items` columns).
    static func stored(_ item: ExportedItem) -> [String?] {
        [item.layer.rawValue, item.name, item.capability, item.status.rawValue, item.endOfSupport, item.product,
         item.vendor, JSONText.array(item.standards), item.critical ? "1" : "0", JSONText.object(item.coverage),
         item.reviewed, item.sensitivity.rawValue, JSONText.array(item.tags), item.notes]
    }

    /// The JSON texts an item's lists are stored as, and its `digest` column: what the
    /// writer stores and what a comparison with the inventories on disk hashes.
    struct StoredTexts {
        let standards: String, coverage: String, tags: String
        let digest: Int64

        init(_ item: ExportedItem) {
            standards = JSONText.array(item.standards)
            coverage = JSONText.object(item.coverage)
            tags = JSONText.array(item.tags)
            digest = ItemFields.digest(item, standards: standards, coverage: coverage, tags: tags)
        }
    }

    /// `items.digest` of an item: `FieldDigest` over its stored fields, in order. `standards`,
    /// `coverage` and `tags` are the JSON texts written for it.
    static func digest(_ item: ExportedItem, standards: String, coverage: String, tags: String) -> Int64 {
        var h = FieldDigest()
        h.add(item.layer.rawValue)
        h.add(item.name)
        h.add(item.capability)
        h.add(item.status.rawValue)
        h.add(item.endOfSupport)
        h.add(item.product)
        h.add(item.vendor)
        h.add(standards)
        h.add(item.critical ? "1" : "0")
        h.add(coverage)
        h.add(item.reviewed)
        h.add(item.sensitivity.rawValue)
        h.add(tags)
        h.add(item.notes)
        return Int64(bitPattern: h.value)
    }

    /// The stored text of a field as the diff shows it: lists joined with ", " (nil when
    /// empty), `critical` as true/false, coverage as `area: share`.
    static func shown(_ field: Int, _ text: String?) -> String? {
        guard let text else { return nil }
        switch names[field] {
        case "standards", "tags":
            let list = JSONText.parseArray(text)
            return list.isEmpty ? nil : list.joined(separator: ", ")
        case "coverage":
            let pairs = JSONText.parseObject(text)
            return pairs.isEmpty ? nil : pairs.map { "\($0.key): \($0.share)" }.joined(separator: ", ")
        case "critical":
            return text == "0" ? "false" : "true"
        default:
            return text
        }
    }
}

/// FNV-1a 64 over a list of optional texts: a tag byte for each (NULL or text), the text's
/// length and its bytes, so that no two lists hash alike by shifting bytes between fields.
struct FieldDigest {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) private mutating func byte(_ b: UInt8) { value = (value ^ UInt64(b)) &* 0x100_0000_01b3 }

    mutating func addNull() { byte(0) }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        byte(1)
        var n = bytes.count
        for _ in 0..<4 {
            byte(UInt8(truncatingIfNeeded: n))
            n >>= 8
        }
        for b in bytes { byte(b) }
    }

    /// A number as a tagged field of its 8 bytes.
    mutating func add(number: Int64) {
        byte(2)
        var n = UInt64(bitPattern: number)
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: n))
            n >>= 8
        }
    }

    mutating func add(_ text: String?) {
        guard var text else { return addNull() }
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }
}

extension Connection {
    /// `infra_item_digest(layer, name, capability, status, end_of_support, product, vendor,
    /// standards, critical, coverage, reviewed, sensitivity, tags, notes)`: `items.digest`
    /// computed in SQL, for rows written before the column existed (migration 2).
    func registerItemDigest() throws(StoreError) {
        let function: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, count, values in
            var h = FieldDigest()
            for k in 0..<Int(count) {
                let v = values![k]
                if sqlite3_value_type(v) == SQLITE_NULL {
                    h.addNull()
                } else if k == ItemFields.critical {
                    h.add(sqlite3_value_int64(v) == 0 ? "0" : "1")
                } else {
                    let p = sqlite3_value_text(v)
                    h.add(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_value_bytes(v))))
                }
            }
            sqlite3_result_int64(context, Int64(bitPattern: h.value))
        }
        let rc = sqlite3_create_function_v2(handle, "infra_item_digest", Int32(ItemFields.names.count),
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, function, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, "registering infra_item_digest") }
    }
}
