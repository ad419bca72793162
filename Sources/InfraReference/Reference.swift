import InfraLoad
import InfraModel

/// The data infra ships (inventory/ in the repository), embedded in the executable:
/// vocabularies, baseline, Sweden's municipalities and regions, national inventories.
public enum Reference {
    /// Path label used in findings about shipped files.
    public static let label = "(built-in)/"

    public static func text(_ path: String) -> String? {
        Embedded.files.first { $0.path == path }?.text
    }

    public static var paths: [String] { Embedded.files.map(\.path) }

    /// The shipped vocabulary. Failing to read shipped data is a bug caught by tests.
    public static let vocabulary: Vocabulary = {
        do {
            return try Vocabulary(
                capabilities: VocabularyReader.capabilities(text("capabilities.yaml") ?? "", file: label + "capabilities.yaml"),
                standards: VocabularyReader.standards(text("standards.yaml") ?? "", file: label + "standards.yaml"),
                baseline: VocabularyReader.baseline(text("baseline.yaml") ?? "", file: label + "baseline.yaml"))
        } catch {
            fatalError("infra's built-in vocabulary is unreadable: \(error)")
        }
    }()

    public static let sweden: Sweden = {
        do {
            return try SwedenReader.read(municipalities: text("sweden/municipalities.csv") ?? "",
                                         regions: text("sweden/regions.csv") ?? "")
        } catch {
            fatalError("infra's built-in Sweden data is unreadable: \(error)")
        }
    }()

    /// The national inventories (inventory/national/*.yaml), parsed once.
    public static let nationalInventories: [FileResult] = {
        Embedded.files.filter { $0.path.hasPrefix("national/") }.map { file in
            var result = Loader.parse(bytes: Array(file.text.utf8), path: label + file.path)
            result.inventory?.isNational = true
            return result
        }
    }()
}

/// A problem in a vocabulary or baseline file; always names file, line and column.
public struct VocabularyError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var position: TextPosition
    public var message: String

    public var description: String {
        "\(file):\(position.line):\(position.column): error: \(message)"
    }
}

public enum VocabularyReader {
    static func tree(_ text: String, file: String) throws(VocabularyError) -> YAMLNode {
        do throws(ReadError) {
            return try YAMLNode.parse(text)
        } catch {
            throw VocabularyError(file: file, position: error.position, message: error.message)
        }
    }

    static func list(_ root: YAMLNode, _ key: String, file: String) throws(VocabularyError) -> [YAMLNode] {
        guard let list = root[key]?.list else {
            throw VocabularyError(file: file, position: root.position, message: "expected a top-level `\(key):` list")
        }
        return list
    }

    static func field(_ node: YAMLNode, _ key: String, file: String) throws(VocabularyError) -> String {
        guard let value = node[key]?.text, !value.isEmpty else {
            throw VocabularyError(file: file, position: node.position, message: "missing `\(key)`")
        }
        return value
    }

    public static func capabilities(_ text: String, file: String) throws(VocabularyError) -> [Capability] {
        var out: [Capability] = []
        for node in try list(try tree(text, file: file), "capabilities", file: file) {
            let layerText = try field(node, "layer", file: file)
            guard let layer = Layer(rawValue: layerText) else {
                throw VocabularyError(file: file, position: node.position, message: "unknown layer `\(layerText)`")
            }
            out.append(Capability(
                id: try field(node, "id", file: file), layer: layer,
                unique: node["unique"]?.text == "true",
                swedishName: node["sv"]?.text ?? "", englishName: node["en"]?.text ?? "",
                description: node["description"]?.text ?? ""))
        }
        return out
    }

    public static func standards(_ text: String, file: String) throws(VocabularyError) -> [Standard] {
        var out: [Standard] = []
        for node in try list(try tree(text, file: file), "standards", file: file) {
            let id = try field(node, "id", file: file)
            out.append(Standard(id: id, family: try field(node, "family", file: file),
                                name: node["name"]?.text ?? id, description: node["description"]?.text ?? ""))
        }
        return out
    }

    /// `baseline: {kommun: [cap, …], region: […], …}` — also the format of `--baseline FILE`.
    public static func baseline(_ text: String, file: String) throws(VocabularyError) -> Baseline {
        let root = try tree(text, file: file)
        guard let map = root["baseline"], case .mapping(let pairs, _) = map else {
            throw VocabularyError(file: file, position: root.position,
                                  message: "expected `baseline:` mapping organisation types to capability lists")
        }
        var expected: [OrganisationType: [String]] = [:]
        for (key, value) in pairs {
            guard let type = OrganisationType(rawValue: key) else {
                throw VocabularyError(file: file, position: value.position,
                                      message: "`\(key)` is not an organisation type (kommun, region, myndighet, bolag, forbund, annan)")
            }
            guard let list = value.list else {
                throw VocabularyError(file: file, position: value.position, message: "`\(key)` must be a list of capability ids")
            }
            expected[type] = list.compactMap(\.text)
        }
        return Baseline(expected: expected)
    }
}

public enum SwedenReader {
    /// Reads the two shipped CSV files (header row, comma-separated, no quoted commas).
    public static func read(municipalities: String, regions: String) throws(VocabularyError) -> Sweden {
        var list: [Municipality] = []
        var date = "2024-12-31"
        for (n, row) in rows(municipalities).enumerated() where n > 0 {
            guard row.count >= 5, let population = Int(row[4]) else {
                throw VocabularyError(file: "sweden/municipalities.csv", position: TextPosition(line: n + 1, column: 1),
                                      message: "expected code,name,county_code,county_name,population,…")
            }
            if row.count > 5, row[5].count == 4 { date = "\(row[5])-12-31" }
            list.append(Municipality(code: row[0], name: row[1], countyCode: row[2], countyName: row[3],
                                     population: population, orgNumber: row.count > 6 && !row[6].isEmpty ? row[6] : nil))
        }
        var regionList: [Region] = []
        for (n, row) in rows(regions).enumerated() where n > 0 {
            guard row.count >= 3 else {
                throw VocabularyError(file: "sweden/regions.csv", position: TextPosition(line: n + 1, column: 1),
                                      message: "expected county_code,county_name,name")
            }
            regionList.append(Region(countyCode: row[0], countyName: row[1], name: row[2]))
        }
        return Sweden(municipalities: list, regions: regionList, populationDate: date)
    }

    static func rows(_ text: String) -> [[String]] {
        // Split as bytes: read at every start of infra, and Character by Character this small
        // file cost more than parsing the arguments (14 M instructions).
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map { line in
            let line = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
