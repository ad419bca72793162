#if canImport(Glibc)
import Glibc
#endif
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

    /// Keys bucketed by length and first byte: a scalar is compared with at most
    /// the one or two keys in its bucket, and never becomes a String first.
    private static let buckets: [[Key]] = {
        var table = [[Key]](repeating: [], count: 17 * 128)
        for raw in 1..<UInt8(names.count) {
            let key = Key(rawValue: raw)!
            let bytes = Array(key.name.utf8)
            table[bytes.count * 128 + Int(bytes[0])].append(key)
        }
        return table
    }()

    private static let spelled: [[UInt8]] = names.map { Array($0.utf8) }

    static func match(_ p: UnsafePointer<UInt8>, count: Int) -> Key {
        guard count >= 2, count <= 16, p[0] < 128 else { return .other }
        let candidates = buckets[count * 128 + Int(p[0])]
        for key in candidates where spelled[Int(key.rawValue)].withUnsafeBufferPointer({ memcmp($0.baseAddress!, p, count) == 0 }) {
            return key
        }
        return .other
    }
}
