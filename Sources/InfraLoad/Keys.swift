/// The keys of the inventory format, recognised from libyaml's bytes without
/// making a String: about half of all scalars in an inventory are keys.
enum Key: UInt8 {
    case other = 0
    case inventory, organisation, services, soft, hard
    case id, name, type, code, org_number, county, parent, members, contact
    case capability, status, end_of_support, product, vendor, standards, critical, depends_on
    case coverage, reviewed, sensitivity, tags, notes

    static let names: [String] = [
        "", "inventory", "organisation", "services", "soft", "hard",
        "id", "name", "type", "code", "org_number", "county", "parent", "members", "contact",
        "capability", "status", "end_of_support", "product", "vendor", "standards", "critical", "depends_on",
        "coverage", "reviewed", "sensitivity", "tags", "notes",
    ]

    var name: String { Key.names[Int(rawValue)] }

    /// Each key's bytes packed little-endian into two words (keys are at most 16 bytes),
    /// so matching is a few integer comparisons and never touches a String.
    private struct Packed {
        var count: Int
        var lo: UInt64
        var hi: UInt64
        var key: Key
    }

    private static let packed: [Packed] = (1..<UInt8(names.count)).map { raw in
        let key = Key(rawValue: raw)!
        let bytes = Array(key.name.utf8)
        let (lo, hi) = bytes.withUnsafeBufferPointer { pack($0.baseAddress!, count: bytes.count) }
        return Packed(count: bytes.count, lo: lo, hi: hi, key: key)
    }

    private static func pack(_ p: UnsafePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
        var lo: UInt64 = 0, hi: UInt64 = 0
        for i in 0..<min(count, 8) { lo |= UInt64(p[i]) << (8 * UInt64(i)) }
        if count > 8 { for i in 8..<count { hi |= UInt64(p[i]) << (8 * UInt64(i - 8)) } }
        return (lo, hi)
    }

    static func match(_ p: UnsafePointer<UInt8>, count: Int) -> Key {
        guard count >= 2, count <= 16 else { return .other }
        let (lo, hi) = pack(p, count: count)
        return packed.withUnsafeBufferPointer { table in
            for entry in table where entry.lo == lo && entry.hi == hi && entry.count == count { return entry.key }
            return .other
        }
    }
}
