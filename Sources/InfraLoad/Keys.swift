#if canImport(Glibc)
import Glibc
#endif
/// The keys of the inventory format, recognised from libyaml's bytes without
/// making a String: about half of all scalars in an inventory are keys.
enum Key: UInt8, CaseIterable {
    case other = 0
    case inventory, organisation, services, soft, hard
    case id, name, type, code, org_number, county, parent, members, contact
    case capability, status, end_of_support, product, vendor, standards, critical, depends_on
    case coverage, reviewed, sensitivity, tags, notes

    /// The key as written. A switch of literals, not a lookup in a shared array, so that
    /// reading it retains nothing: the loader reads it for every key on both cores.
    var name: String {
        switch self {
        case .other: ""
        case .inventory: "inventory"
        case .organisation: "organisation"
        case .services: "services"
        case .soft: "soft"
        case .hard: "hard"
        case .id: "id"
        case .name: "name"
        case .type: "type"
        case .code: "code"
        case .org_number: "org_number"
        case .county: "county"
        case .parent: "parent"
        case .members: "members"
        case .contact: "contact"
        case .capability: "capability"
        case .status: "status"
        case .end_of_support: "end_of_support"
        case .product: "product"
        case .vendor: "vendor"
        case .standards: "standards"
        case .critical: "critical"
        case .depends_on: "depends_on"
        case .coverage: "coverage"
        case .reviewed: "reviewed"
        case .sensitivity: "sensitivity"
        case .tags: "tags"
        case .notes: "notes"
        }
    }

    /// Keys bucketed by length and first byte: a scalar is compared with at most the few
    /// keys in its bucket, and never becomes a String first.
    ///
    /// The tables are plain memory behind pointers, built once and never freed. Arrays of
    /// arrays cost a retain and a release of a shared buffer per lookup: with both cores
    /// reading files, that was one contended atomic pair per scalar, a quarter of all of
    /// the country scan's retains.
    private struct Table: @unchecked Sendable {
        /// Per `length * 128 + first byte`: the candidates' raw values, one per byte from the
        /// lowest (0 ends the list; at most four).
        let buckets: UnsafePointer<UInt32>
        /// Key `k` is spelled at `spelling + k * 16` (16 bytes the most).
        let spelling: UnsafePointer<UInt8>

        init() {
            let buckets = UnsafeMutablePointer<UInt32>.allocate(capacity: 17 * 128)
            buckets.initialize(repeating: 0, count: 17 * 128)
            let spelling = UnsafeMutablePointer<UInt8>.allocate(capacity: Key.allCases.count * 16)
            spelling.initialize(repeating: 0, count: Key.allCases.count * 16)
            for key in Key.allCases where key != .other {
                let raw = key.rawValue
                let bytes = Array(key.name.utf8)
                precondition(bytes.count <= 16 && bytes[0] < 128, "a key longer than 16 bytes or not ASCII")
                for (i, b) in bytes.enumerated() { spelling[Int(raw) * 16 + i] = b }
                let slot = bytes.count * 128 + Int(bytes[0])
                var shift: UInt32 = 0
                while buckets[slot] >> shift & 0xFF != 0 { shift += 8 }
                precondition(shift < 32, "more than four keys of one length and first letter")
                buckets[slot] |= UInt32(raw) << shift
            }
            self.buckets = UnsafePointer(buckets)
            self.spelling = UnsafePointer(spelling)
        }
    }

    private static let table = Table()

    static func match(_ p: UnsafePointer<UInt8>, count: Int) -> Key {
        guard count >= 2, count <= 16, p[0] < 128 else { return .other }
        let table = Self.table
        var candidates = table.buckets[count * 128 + Int(p[0])]
        while candidates != 0 {
            let raw = UInt8(truncatingIfNeeded: candidates)
            if memcmp(table.spelling + Int(raw) * 16, p, count) == 0 { return Key(rawValue: raw)! }
            candidates >>= 8
        }
        return .other
    }
}
