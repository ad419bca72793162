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

    /// Keys grouped by byte length, for matching.
    private static let byLength: [[(bytes: [UInt8], key: Key)]] = {
        var table = [[(bytes: [UInt8], key: Key)]](repeating: [], count: 16)
        for raw in 1..<UInt8(names.count) {
            let key = Key(rawValue: raw)!
            let bytes = Array(key.name.utf8)
            table[bytes.count].append((bytes, key))
        }
        return table
    }()

    static func match(_ p: UnsafePointer<UInt8>, count: Int) -> Key {
        guard count < byLength.count else { return .other }
        for candidate in byLength[count] {
            var i = 0
            while i < count, candidate.bytes[i] == p[i] { i += 1 }
            if i == count { return candidate.key }
        }
        return .other
    }
}
