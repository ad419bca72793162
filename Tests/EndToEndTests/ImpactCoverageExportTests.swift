import Foundation
import Testing

// End-to-end runs of `infra impact`, `infra coverage` and `infra export` on CoverageFixture,
// asserting the exact impact sets, coverage numbers and exported rows the fixture was written to
// produce (the hand computation is in the comment at the top of Fixtures/CoverageFixture.swift).

// MARK: - Expected values

/// SCB population 2024-12-31, inventory/sweden/municipalities.csv.
private enum Population {
    static let upplandsVasby = 50_323  // 0114
    static let vallentuna = 35_119     // 0115
    static let osteraker = 49_787      // 0117
    static let stockholmsLan = 2_473_307  // county 01, the sum of its 26 kommuner
    static let sweden = 10_587_710
}

private let fixtureOrganisations: Set<String> = ["upplands-vasby", "vallentuna", "osteraker", "region-stockholm", "sodra-roslagens-arkiv"]

/// Every item of the fixture and what it depends on, every reference written as org/item.
private let expectedDependencies: [String: [String]] = [
    "osteraker/diarium": ["osteraker/e-arkiv", "inera/siths"],
    "osteraker/e-arkiv": ["osteraker/server"],
    "osteraker/server": [],
    "region-stockholm/forskningsportal": ["sodra-roslagens-arkiv/arkivsok", "region-stockholm/server"],
    "region-stockholm/journal": ["region-stockholm/e-arkiv", "region-stockholm/server"],
    "region-stockholm/e-arkiv": ["region-stockholm/server"],
    "region-stockholm/server": [],
    "sodra-roslagens-arkiv/arkivsok": ["sodra-roslagens-arkiv/e-arkiv"],
    "sodra-roslagens-arkiv/e-arkiv": ["sodra-roslagens-arkiv/drift"],
    "sodra-roslagens-arkiv/e-arkiv-2": ["sodra-roslagens-arkiv/drift"],
    "sodra-roslagens-arkiv/gammalt-arkiv": ["sodra-roslagens-arkiv/drift"],
    "sodra-roslagens-arkiv/drift": [],
    "upplands-vasby/skolplattform": ["upplands-vasby/server"],
    "upplands-vasby/diarium": ["upplands-vasby/integrationsplattform"],
    "upplands-vasby/omsorg": ["upplands-vasby/integrationsplattform", "sodra-roslagens-arkiv/e-arkiv", "upplands-vasby/server"],
    "upplands-vasby/integrationsplattform": ["sodra-roslagens-arkiv/e-arkiv", "upplands-vasby/server"],
    "upplands-vasby/server": [],
    "vallentuna/e-tjanst": ["upplands-vasby/integrationsplattform", "vallentuna/server"],
    "vallentuna/arkivsok-ny": ["sodra-roslagens-arkiv/e-arkiv"],
    "vallentuna/gammal-tjanst": ["sodra-roslagens-arkiv/e-arkiv"],
    "vallentuna/nytt-arkiv": ["vallentuna/server"],
    "vallentuna/arkivkoppling": ["sodra-roslagens-arkiv/e-arkiv-2", "sodra-roslagens-arkiv/gammalt-arkiv", "vallentuna/server"],
    "vallentuna/server": [],
]

private let expectedLayers: [String: String] = [
    "osteraker/diarium": "services", "osteraker/e-arkiv": "soft", "osteraker/server": "hard",
    "region-stockholm/forskningsportal": "services", "region-stockholm/journal": "services",
    "region-stockholm/e-arkiv": "soft", "region-stockholm/server": "hard",
    "sodra-roslagens-arkiv/arkivsok": "services", "sodra-roslagens-arkiv/e-arkiv": "soft",
    "sodra-roslagens-arkiv/e-arkiv-2": "soft", "sodra-roslagens-arkiv/gammalt-arkiv": "soft",
    "sodra-roslagens-arkiv/drift": "hard",
    "upplands-vasby/skolplattform": "services", "upplands-vasby/diarium": "services", "upplands-vasby/omsorg": "services",
    "upplands-vasby/integrationsplattform": "soft", "upplands-vasby/server": "hard",
    "vallentuna/e-tjanst": "services", "vallentuna/arkivsok-ny": "services", "vallentuna/gammal-tjanst": "services",
    "vallentuna/nytt-arkiv": "soft", "vallentuna/arkivkoppling": "soft", "vallentuna/server": "hard",
]

private let expectedStatus: [String: String] = [
    "region-stockholm/e-arkiv": "retiring", "sodra-roslagens-arkiv/e-arkiv-2": "planned",
    "sodra-roslagens-arkiv/gammalt-arkiv": "retired", "vallentuna/arkivsok-ny": "planned",
    "vallentuna/gammal-tjanst": "retired", "vallentuna/nytt-arkiv": "planned",
]  // every other item: active

private func organisation(of ref: String) -> String { String(ref.prefix { $0 != "/" }) }

// MARK: - Helpers

/// Writes the fixture under a fresh temporary directory as fixture/*.yaml and runs `body` with that directory.
private func withCoverageFixture<T>(_ body: (URL) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        try write(CoverageFixture.files, in: dir)
        return try body(dir)
    }
}

/// A tiny RFC 4180 reader: fields separated by commas, optionally quoted, `""` inside quotes.
private func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false, fieldStarted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                field.append(c)
            }
            continue
        }
        switch c {
        case "\"" where field.isEmpty: quoted = true; fieldStarted = true
        case ",": row.append(field); field = ""; fieldStarted = true
        case "\r": continue
        case "\n": row.append(field); rows.append(row); row = []; field = ""; fieldStarted = false
        default: field.append(c); fieldStarted = true
        }
    }
    if fieldStarted || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

/// CSV rows as dictionaries keyed by the header row. Records an issue for a row of the wrong width.
private func csvRecords(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (header: [String], rows: [[String: String]]) {
    let rows = parseCSV(text)
    guard let header = rows.first else { throw ParseFailure(description: "empty CSV") }
    var records: [[String: String]] = []
    for (n, row) in rows.dropFirst().enumerated() {
        #expect(row.count == header.count, "CSV row \(n + 2) has \(row.count) fields, header has \(header.count): \(row)", sourceLocation: sourceLocation)
        records.append(Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a }))
    }
    return (header, records)
}

/// Contents and modification dates of every file under `dir`.
private func snapshot(_ dir: URL) throws -> [String: (Data, Date?)] {
    var result: [String: (Data, Date?)] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey, .contentModificationDateKey]) else { return result }
    for case let url as URL in walker {
        let values = try url.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey])
        guard values.isRegularFile == true else { continue }
        result[url.path] = (try Data(contentsOf: url), values.contentModificationDate)
    }
    return result
}

// MARK: - impact

@Suite("impact: what breaks, on the coverage fixture")
struct ImpactCoverageExportImpactTests {
    @Test("text: the legend for ! is printed only when a critical service is listed")
    func legendOnlyWithCritical() throws {
        let critical = try run(["impact", "ange/kommunnat", "examples/vasternorrland"])
        #expect(critical.stdout.contains("(2 critical)") && critical.stdout.contains("! = critical"), "\(critical)")
        let none = try run(["impact", "sundsvall/integrationsplattform", "examples/vasternorrland"])
        #expect(none.stdout.contains("(0 critical)") && !none.stdout.contains("! = critical"), "\(none)")
    }

    @Test("json: the förbund's e-archive takes down five services in four organisations, two critical, shortest paths")
    func forbundArchive() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "sodra-roslagens-arkiv/e-arkiv", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            #expect(object["item"] as? String == "sodra-roslagens-arkiv/e-arkiv")
            let services = try #require(object["services"] as? [String], "\(r.stdout)")
            let critical = try #require(object["critical"] as? [String], "\(r.stdout)")
            let expected: Set<String> = [
                "region-stockholm/forskningsportal",  // → förbund/arkivsok → förbund/e-arkiv, across two organisations
                "sodra-roslagens-arkiv/arkivsok",     // the förbund's own service
                "upplands-vasby/diarium",             // through upplands-vasby/integrationsplattform
                "upplands-vasby/omsorg",              // directly (and through the platform)
                "vallentuna/e-tjanst",                // through ANOTHER kommun's integration platform
            ]
            #expect(Set(services) == expected, "services: \(services)")
            #expect(services.count == expected.count, "a service listed twice: \(services)")
            #expect(Set(critical) == ["upplands-vasby/omsorg", "vallentuna/e-tjanst"], "critical: \(critical)")
            #expect(critical.count == 2, "critical: \(critical)")
            // Not running, so not lost: the planned and the retired Vallentuna services that depend on it directly.
            #expect(!services.contains("vallentuna/arkivsok-ny") && !services.contains("vallentuna/gammal-tjanst"))

            let paths = try #require(object["paths"] as? [String: [String]], "\(r.stdout)")
            #expect(Set(paths.keys) == expected)
            let expectedPaths: [String: [String]] = [
                "region-stockholm/forskningsportal": ["region-stockholm/forskningsportal", "sodra-roslagens-arkiv/arkivsok", "sodra-roslagens-arkiv/e-arkiv"],
                "sodra-roslagens-arkiv/arkivsok": ["sodra-roslagens-arkiv/arkivsok", "sodra-roslagens-arkiv/e-arkiv"],
                "upplands-vasby/diarium": ["upplands-vasby/diarium", "upplands-vasby/integrationsplattform", "sodra-roslagens-arkiv/e-arkiv"],
                "upplands-vasby/omsorg": ["upplands-vasby/omsorg", "sodra-roslagens-arkiv/e-arkiv"],
                "vallentuna/e-tjanst": ["vallentuna/e-tjanst", "upplands-vasby/integrationsplattform", "sodra-roslagens-arkiv/e-arkiv"],
            ]
            for (service, path) in paths {
                #expect(path.first == service, "path of \(service) does not start at the service: \(path)")
                #expect(path.last == "sodra-roslagens-arkiv/e-arkiv", "path of \(service) does not end at the item: \(path)")
                #expect(path == expectedPaths[service], "path of \(service): \(path)")
                // Each step is a real dependency of the fixture.
                for (a, b) in zip(path, path.dropFirst()) {
                    #expect(expectedDependencies[a]?.contains(b) == true, "\(a) → \(b) is not a dependency (path \(path))")
                }
            }
        }
    }

    @Test("json: a kommun's server is lost by its own services and, through its integration platform, a neighbour's")
    func kommunServer() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "upplands-vasby/server", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            #expect(object["item"] as? String == "upplands-vasby/server")
            let services = try #require(object["services"] as? [String])
            #expect(Set(services) == ["upplands-vasby/skolplattform", "upplands-vasby/diarium", "upplands-vasby/omsorg", "vallentuna/e-tjanst"],
                    "\(services)")
            #expect(Set(try #require(object["critical"] as? [String])) == ["upplands-vasby/omsorg", "vallentuna/e-tjanst"])
            let paths = try #require(object["paths"] as? [String: [String]])
            #expect(paths["upplands-vasby/omsorg"] == ["upplands-vasby/omsorg", "upplands-vasby/server"])
            #expect(paths["upplands-vasby/diarium"] == ["upplands-vasby/diarium", "upplands-vasby/integrationsplattform", "upplands-vasby/server"])
            #expect(paths["vallentuna/e-tjanst"] == ["vallentuna/e-tjanst", "upplands-vasby/integrationsplattform", "upplands-vasby/server"])
            #expect(paths["upplands-vasby/skolplattform"] == ["upplands-vasby/skolplattform", "upplands-vasby/server"])
        }
    }

    @Test("json: a national component's impact reaches the fixture's services")
    func nationalTarget() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "inera/siths", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            let services = try #require(object["services"] as? [String])
            // Only osteraker/diarium of the fixture uses SITHS; the national inventories may add their own services.
            #expect(services.contains("osteraker/diarium"), "\(services)")
            #expect(services.filter { fixtureOrganisations.contains(organisation(of: $0)) } == ["osteraker/diarium"], "\(services)")
            #expect(!(object["critical"] as? [String] ?? []).contains("osteraker/diarium"))
            #expect((object["paths"] as? [String: [String]])?["osteraker/diarium"] == ["osteraker/diarium", "inera/siths"])
        }
    }

    @Test("json and text: an item nothing depends on takes down no service, not even itself")
    func nothingDepends() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "upplands-vasby/skolplattform", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            #expect(object["item"] as? String == "upplands-vasby/skolplattform")
            #expect((object["services"] as? [String]) == [])
            #expect((object["critical"] as? [String]) == [])
            #expect((object["paths"] as? [String: Any])?.isEmpty ?? true)

            let text = try run(["impact", "upplands-vasby/skolplattform", "fixture"], cwd: dir)
            #expect(text.exit == 0, "\(text)")
            #expect(text.stdout.contains("upplands-vasby/skolplattform"), "\(text.stdout)")
            #expect(text.stdout.contains("none") || text.stdout.contains(" 0 services"), "\(text.stdout)")
        }
    }

    @Test("a failure travels only through running items: impact and the scan's blast radius agree, and ungrounded services are not counted")
    func onlyThroughRunningItems() throws {
        try withTemporaryDirectory { dir in
            try write(["s.yaml": """
                inventory: 1
                organisation: {id: ange, name: Ånge kommun, type: kommun, code: "2260"}
                services:
                  - {id: a, name: A, capability: e-service-platform, depends_on: [plan]}
                  - {id: b, name: B, capability: e-service-platform, depends_on: [old]}
                  - {id: c, name: C, capability: e-service-platform, critical: true, depends_on: [nat]}
                soft:
                  - {id: plan, name: Plan, capability: e-archive, status: planned, depends_on: [nat]}
                  - {id: old, name: Old, capability: e-archive, status: retired, depends_on: [nat]}
                hard:
                  - {id: nat, name: Nät, capability: municipal-network}

                """], in: dir)
            let impact = try jsonObject(try run(["impact", "ange/nat", "s.yaml", "--no-national", "--format", "json"], cwd: dir).stdout)
            #expect(impact["services"] as? [String] == ["ange/c"], "\(impact)")
            // The same scan calls a and b ungrounded: they are not among what nat takes down.
            let scan = try jsonObject(try run(["scan", "s.yaml", "--no-national", "--spof", "0", "--format", "json"], cwd: dir).stdout)
            let findings = try #require(scan["findings"] as? [[String: Any]])
            #expect(Set(findings.filter { $0["rule"] as? String == "ungrounded" }.compactMap { $0["item"] as? String }) == ["a", "b"])
            let spof = findings.filter { $0["rule"] as? String == "single-point-of-failure" }
            #expect(spof.compactMap { $0["item"] as? String } == ["nat"], "planned and retired items fail nothing: \(spof)")
            #expect((spof.first?["message"] as? String)?.hasPrefix("1 service depends on `nat` (1 critical)") == true, "\(spof)")
            let planned = try run(["impact", "ange/plan", "s.yaml", "--no-national"], cwd: dir)
            #expect(planned.stdout.contains("none: it is planned, not running"), "\(planned)")
        }
    }

    @Test("text: services grouped under their organisation, critical ones marked")
    func text() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "sodra-roslagens-arkiv/e-arkiv", "fixture"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let lines = r.stdout.components(separatedBy: "\n")
            #expect(lines.first?.contains("sodra-roslagens-arkiv/e-arkiv") == true, "the first line names the item:\n\(r.stdout)")
            let expected: [String: Bool] = [  // service → critical
                "region-stockholm/forskningsportal": false, "sodra-roslagens-arkiv/arkivsok": false,
                "upplands-vasby/diarium": false, "upplands-vasby/omsorg": true, "vallentuna/e-tjanst": true,
            ]
            /// The line listing `service`: its first line that, after an optional marker, starts with the ref.
            func listing(_ service: String) -> Int? {
                lines.firstIndex { line in
                    var rest = Substring(line.trimmingCharacters(in: .whitespaces))
                    if rest.hasPrefix("!") || rest.hasPrefix("*") { rest = rest.dropFirst().drop { $0 == " " } }
                    guard rest.hasPrefix(service) else { return false }
                    let after = rest.dropFirst(service.count)
                    return after.isEmpty || after.first == " "
                }
            }
            var headers: [String: Int] = [:]  // organisation → index of its header line
            for (index, line) in lines.enumerated().dropFirst() where !line.isEmpty && !line.hasPrefix(" ") {
                for org in fixtureOrganisations where line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" }).contains(Substring(org)) {
                    #expect(headers[org] == nil, "organisation \(org) has two group headers:\n\(r.stdout)")
                    headers[org] = index
                }
            }
            #expect(Set(headers.keys) == ["region-stockholm", "sodra-roslagens-arkiv", "upplands-vasby", "vallentuna"],
                    "organisation headers: \(headers)\n\(r.stdout)")
            for (service, isCritical) in expected {
                guard let index = listing(service) else {
                    Issue.record("\(service) not listed:\n\(r.stdout)")
                    continue
                }
                let line = lines[index]
                // The nearest header above is the service's organisation.
                let above = headers.filter { $0.value < index }.max { $0.value < $1.value }?.key
                #expect(above == organisation(of: service), "\(service) is listed under \(above ?? "no organisation"):\n\(r.stdout)")
                let prefix = line[..<line.range(of: service)!.lowerBound]
                let marked = !prefix.trimmingCharacters(in: .whitespaces).isEmpty || line.lowercased().contains("critical")
                #expect(marked == isCritical, "\(service) is \(isCritical ? "critical but not" : "not critical but") marked: `\(line)`")
            }
            for absent in ["vallentuna/arkivsok-ny", "vallentuna/gammal-tjanst"] {
                #expect(!r.stdout.contains(absent), "\(absent) is not running, yet listed:\n\(r.stdout)")
            }
        }
    }

    @Test("an unknown REF exits 2 with a did-you-mean on stderr", arguments: [
        ("sodra-roslagens-arkiv/e-arkv", "sodra-roslagens-arkiv/e-arkiv"),
        ("upplands-vasby/integrationsplatform", "upplands-vasby/integrationsplattform"),
        ("vallentuna/servr", "vallentuna/server"),
        // Written in capitals: too far for a typo, but the same id.
        ("Vallentuna/SERVER", "vallentuna/server"),
    ])
    func unknownRef(ref: String, suggestion: String) throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", ref, "fixture"], cwd: dir)
            #expect(r.exit == 2, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            #expect(r.stderr.contains(ref), "the message names the REF: \(r.stderr)")
            #expect(r.stderr.lowercased().contains("did you mean"), "\(r.stderr)")
            #expect(r.stderr.contains(suggestion), "expected the suggestion \(suggestion): \(r.stderr)")
        }
    }

    @Test("impact and graph --focus on an organisation's id, or an item id several organisations use, say so")
    func organisationOrAmbiguousRef() throws {
        try withCoverageFixture { dir in
            for command in [["impact", "vallentuna", "fixture"], ["graph", "fixture", "--focus", "vallentuna", "--format", "dot"]] {
                let r = try run(command, cwd: dir)
                #expect(r.exit == 2 && r.stderr.contains("vallentuna is an organisation") && r.stderr.contains("vallentuna/"), "\(r)")
            }
            let shared = try run(["impact", "server", "fixture"], cwd: dir)
            #expect(shared.exit == 2 && shared.stderr.contains("vallentuna/server") && shared.stderr.contains("organisations:"), "\(shared)")
        }
    }
}

// MARK: - coverage

@Suite("coverage: exact numbers on the coverage fixture")
struct ImpactCoverageExportCoverageTests {
    typealias Cell = (covered: Int, inventoried: Int, total: Int?, populationCovered: Int?, populationTotal: Int?)

    static func row(_ object: [String: Any], capability: String) -> [String: Any]? {
        (object["capabilities"] as? [[String: Any]])?.first { $0["capability"] as? String == capability }
    }

    static func row(_ object: [String: Any], standard: String) -> [String: Any]? {
        (object["standards"] as? [[String: Any]])?.first { $0["standard"] as? String == standard }
    }

    static func check(_ cell: Any?, _ expected: Cell, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let cell = cell as? [String: Any] else {
            Issue.record("\(what): no cell", sourceLocation: sourceLocation)
            return
        }
        func int(_ key: String) -> Int? { cell[key] as? Int }
        #expect(int("covered") == expected.covered, "\(what) covered: \(cell)", sourceLocation: sourceLocation)
        #expect(int("inventoried") == expected.inventoried, "\(what) inventoried: \(cell)", sourceLocation: sourceLocation)
        #expect(int("total") == expected.total, "\(what) total: \(cell)", sourceLocation: sourceLocation)
        #expect(int("population_covered") == expected.populationCovered, "\(what) population_covered: \(cell)", sourceLocation: sourceLocation)
        #expect(int("population_total") == expected.populationTotal, "\(what) population_total: \(cell)", sourceLocation: sourceLocation)
    }

    /// kommun cells: covered / 3 inventoried / 290, population against all of Sweden.
    static func kommun(_ covered: Int, _ population: Int) -> Cell { (covered, 3, 290, population, Population.sweden) }
    static func region(_ covered: Int) -> Cell { (covered, 1, 21, covered == 1 ? Population.stockholmsLan : 0, Population.sweden) }
    static let forbundCovered: Cell = (1, 1, nil, nil, nil)
    static let forbundNotCovered: Cell = (0, 1, nil, nil, nil)

    @Test("json: organisations inventoried of all, and the e-archive row")
    func json() throws {
        try withCoverageFixture { dir in
            let r = try run(["coverage", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            let organisations = try #require(object["organisations"] as? [String: Any], "\(r.stdout.prefix(2000))")
            let kommun = try #require(organisations["kommun"] as? [String: Any])
            #expect(kommun["inventoried"] as? Int == 3 && kommun["total"] as? Int == 290, "\(kommun)")
            let region = try #require(organisations["region"] as? [String: Any])
            #expect(region["inventoried"] as? Int == 1 && region["total"] as? Int == 21, "\(region)")
            let forbund = try #require(organisations["forbund"] as? [String: Any], "the förbund is an inventoried type: \(organisations)")
            #expect(forbund["inventoried"] as? Int == 1, "\(forbund)")
            #expect(forbund["total"] == nil || forbund["total"] is NSNull, "no national total for förbund: \(forbund)")
            // The national inventories are not counted as inventoried organisations.
            #expect(organisations["myndighet"] == nil || (organisations["myndighet"] as? [String: Any])?["inventoried"] as? Int == 0,
                    "national organisations counted: \(organisations)")
            #expect(object["population_date"] as? String == nil || object["population_date"] as? String == "2024-12-31")

            // e-archive: upplands-vasby through its direct dependency on the förbund's active e-arkiv,
            // osteraker with its own. Not vallentuna: own one only planned, direct dependencies only on
            // the förbund's planned and retired archives, the active one only transitively or from
            // items that do not run.
            let archive = try #require(Self.row(object, capability: "e-archive"), "no e-archive row")
            let byType = try #require(archive["by_type"] as? [String: Any])
            Self.check(byType["kommun"], Self.kommun(2, Population.upplandsVasby + Population.osteraker), "e-archive kommun")
            Self.check(byType["region"], Self.region(1), "e-archive region (retiring counts)")
            Self.check(byType["forbund"], Self.forbundCovered, "e-archive forbund")
            #expect(archive["layer"] as? String == "soft")
            #expect(archive["by_county"] == nil, "by_county without --by county")
        }
    }

    @Test("--capability and --standard narrow the rows to those terms, with the same figures; an unknown term exits 2 before reading")
    func narrowed() throws {
        try withCoverageFixture { dir in
            let r = try run(["coverage", "fixture", "--capability", "e-archive", "--standard", "fgs-paket", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            #expect((object["capabilities"] as? [[String: Any]])?.compactMap { $0["capability"] as? String } == ["e-archive"])
            #expect((object["standards"] as? [[String: Any]])?.compactMap { $0["standard"] as? String } == ["fgs-paket"])
            let whole = try jsonObject(try run(["coverage", "fixture", "--format", "json"], cwd: dir).stdout)
            #expect(NSDictionary(dictionary: Self.row(object, capability: "e-archive") ?? [:])
                    == NSDictionary(dictionary: Self.row(whole, capability: "e-archive") ?? ["missing": 1]))
            let unknown = try run(["coverage", "fixture", "--capability", "e-arkive"], cwd: dir)
            #expect(unknown.exit == 2 && unknown.stderr.contains("did you mean `e-archive`?") && unknown.stdout.isEmpty, "\(unknown)")
        }
    }

    @Test("json: the other capabilities and the fgs-paket standard")
    func otherRows() throws {
        try withCoverageFixture { dir in
            let r = try run(["coverage", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            func byType(_ capability: String) -> [String: Any] {
                (Self.row(object, capability: capability)?["by_type"] as? [String: Any]) ?? [:]
            }
            // Own (upplands-vasby) plus a direct dependency of vallentuna/e-tjanst on another kommun's platform.
            Self.check(byType("integration-platform")["kommun"], Self.kommun(2, Population.upplandsVasby + Population.vallentuna),
                       "integration-platform kommun")
            Self.check(byType("integration-platform")["region"], Self.region(0), "integration-platform region")
            Self.check(byType("integration-platform")["forbund"], Self.forbundNotCovered, "integration-platform forbund")
            // Through the national inera/siths.
            Self.check(byType("eid-staff")["kommun"], Self.kommun(1, Population.osteraker), "eid-staff kommun")
            Self.check(byType("eid-staff")["region"], Self.region(0), "eid-staff region")
            Self.check(byType("case-management")["kommun"], Self.kommun(2, Population.upplandsVasby + Population.osteraker), "case-management kommun")
            // Vallentuna's e-tjanst runs; its planned and retired e-services change nothing.
            Self.check(byType("e-service")["kommun"], Self.kommun(1, Population.vallentuna), "e-service kommun")
            Self.check(byType("e-service")["region"], Self.region(1), "e-service region")
            Self.check(byType("e-service")["forbund"], Self.forbundCovered, "e-service forbund")
            Self.check(byType("datacenter")["kommun"],
                       Self.kommun(3, Population.upplandsVasby + Population.vallentuna + Population.osteraker), "datacenter kommun")
            Self.check(byType("patient-portal")["kommun"], Self.kommun(0, 0), "patient-portal kommun")
            Self.check(byType("patient-portal")["region"], Self.region(0), "patient-portal region")

            // A standard counts as a capability does (the contract's coverage rule): osteraker's own
            // e-arkiv, and upplands-vasby's direct dependency on the förbund's fgs-paket archive;
            // not vallentuna (its archive is planned).
            let fgs = try #require(Self.row(object, standard: "fgs-paket")?["by_type"] as? [String: Any], "no fgs-paket row")
            Self.check(fgs["kommun"], Self.kommun(2, Population.upplandsVasby + Population.osteraker), "fgs-paket kommun")
            Self.check(fgs["region"], Self.region(1), "fgs-paket region")
            Self.check(fgs["forbund"], Self.forbundCovered, "fgs-paket forbund")
        }
    }

    @Test("json --by county: county 01 has 26 kommuner and 2,473,307 inhabitants")
    func byCounty() throws {
        try withCoverageFixture { dir in
            let r = try run(["coverage", "fixture", "--by", "county", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let object = try jsonObject(r.stdout)
            let archive = try #require(Self.row(object, capability: "e-archive"))
            let counties = try #require(archive["by_county"] as? [String: Any], "no by_county: \(archive)")
            #expect(counties.count == 21, "\(counties.keys.sorted())")
            Self.check(counties["01"], (2, 3, 26, Population.upplandsVasby + Population.osteraker, Population.stockholmsLan), "e-archive county 01")
            var kommuner = 0, population = 0
            for (county, value) in counties {
                let cell = try #require(value as? [String: Any])
                kommuner += cell["total"] as? Int ?? 0
                population += cell["population_total"] as? Int ?? 0
                if county != "01" {
                    #expect(cell["covered"] as? Int == 0 && cell["inventoried"] as? Int == 0 && cell["population_covered"] as? Int == 0,
                            "county \(county): \(cell)")
                }
            }
            #expect(kommuner == 290)
            #expect(population == Population.sweden)
            let fgs = try #require(Self.row(object, standard: "fgs-paket")?["by_county"] as? [String: Any])
            Self.check(fgs["01"], (2, 3, 26, Population.upplandsVasby + Population.osteraker, Population.stockholmsLan), "fgs-paket county 01")
            // The national figures are unchanged by the breakdown.
            Self.check((archive["by_type"] as? [String: Any])?["kommun"], Self.kommun(2, Population.upplandsVasby + Population.osteraker),
                       "e-archive kommun with --by county")
        }
    }

    @Test("csv: a header row and the same numbers, with and without --by county")
    func csv() throws {
        try withCoverageFixture { dir in
            for byCounty in [false, true] {
                let r = try run(["coverage", "fixture", "--format", "csv"] + (byCounty ? ["--by", "county"] : []), cwd: dir)
                #expect(r.exit == 0, "\(r)")
                let (header, rows) = try csvRecords(r.stdout)
                for column in ["term", "covered", "inventoried", "total", "population_covered", "population_total"] {
                    #expect(header.contains(column), "no column \(column): \(header)")
                }
                func find(_ term: String, type: String, scope: String) -> [String: String]? {
                    let matches = rows.filter {
                        $0["term"] == term && $0["organisation_type"] == type && $0["scope"] == scope
                    }
                    #expect(matches.count == 1, "\(matches.count) rows for \(term)/\(type)/\(scope)")
                    return matches.first
                }
                func check(_ row: [String: String]?, _ expected: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
                    let got = ["covered", "inventoried", "total", "population_covered", "population_total"].map { row?[$0] ?? "<missing>" }
                    #expect(got == expected, "\(what): \(got)", sourceLocation: sourceLocation)
                }
                let archiveKommun = find("e-archive", type: "kommun", scope: "sweden")
                check(archiveKommun, ["2", "3", "290", "100110", "10587710"], "e-archive kommun")
                #expect(archiveKommun?["kind"] == "capability")
                #expect(archiveKommun?["population_date"] == "2024-12-31", "\(archiveKommun ?? [:])")
                check(find("e-archive", type: "region", scope: "sweden"), ["1", "1", "21", "2473307", "10587710"], "e-archive region")
                check(find("e-archive", type: "forbund", scope: "sweden"), ["1", "1", "", "", ""], "e-archive forbund")
                let fgs = find("fgs-paket", type: "kommun", scope: "sweden")
                check(fgs, ["2", "3", "290", "100110", "10587710"], "fgs-paket kommun")
                #expect(fgs?["kind"] == "standard")
                check(find("integration-platform", type: "kommun", scope: "sweden"), ["2", "3", "290", "85442", "10587710"],
                      "integration-platform kommun")
                let countyRows = rows.filter { $0["scope"]?.hasPrefix("county") == true }
                if byCounty {
                    check(find("e-archive", type: "kommun", scope: "county 01"), ["2", "3", "26", "100110", "2473307"], "e-archive county 01")
                    #expect(countyRows.filter { $0["term"] == "e-archive" }.count == 21)
                } else {
                    #expect(countyRows.isEmpty, "county rows without --by county")
                }
            }
        }
    }

    @Test("markdown: a table with a header row; table: the population date")
    func markdownAndTable() throws {
        try withCoverageFixture { dir in
            let md = try run(["coverage", "fixture", "--format", "markdown"], cwd: dir)
            #expect(md.exit == 0, "\(md)")
            let lines = md.stdout.components(separatedBy: "\n")
            let headerIndex = lines.firstIndex { $0.hasPrefix("|") && $0.contains("kommun") && $0.contains("region") }
            #expect(headerIndex != nil, "no table header row with kommun and region:\n\(md.stdout.prefix(1500))")
            if let headerIndex, headerIndex + 1 < lines.count {
                let separator = lines[headerIndex + 1]
                #expect(separator.hasPrefix("|") && separator.contains("---") && !separator.contains { $0.isLetter },
                        "no separator row under the header: `\(separator)`")
                #expect(lines[headerIndex].filter { $0 == "|" }.count == separator.filter { $0 == "|" }.count, "header and separator widths differ")
            }
            let archive = lines.first { $0.hasPrefix("|") && $0.contains("e-archive") }
            #expect(archive?.contains("2/3") == true && archive?.contains("290") == true, "e-archive row: \(archive ?? "none")")

            let table = try run(["coverage", "fixture"], cwd: dir)
            #expect(table.exit == 0, "\(table)")
            #expect(table.stdout.contains("2024-12-31"), "the population date is not mentioned:\n\(table.stdout.prefix(1500))")
            let archiveLine = table.stdout.components(separatedBy: "\n").first { $0.hasPrefix("e-archive ") }
            #expect(archiveLine?.contains("2/3 of 290") == true && archiveLine?.contains("1/1 of 21") == true,
                    "e-archive line: \(archiveLine ?? "none")")
            // The population share is labelled, and a table has no spaces trailing its lines.
            #expect(archiveLine?.contains(" pop. ") == true, "e-archive line: \(archiveLine ?? "none")")
            #expect(!table.stdout.split(separator: "\n").contains { $0.hasSuffix(" ") }, "\(table.stdout)")
        }
    }
}

// MARK: - export

@Suite("export: the resolved coverage fixture")
struct ImpactCoverageExportExportTests {
    static func organisations(_ text: String) throws -> [[String: Any]] {
        let object = try jsonObject(text)
        guard let list = object["organisations"] as? [[String: Any]] else {
            throw ParseFailure(description: "no organisations array:\n\(text.prefix(2000))")
        }
        return list
    }

    /// ref → item object.
    static func items(_ organisations: [[String: Any]]) -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for o in organisations {
            let org = o["id"] as? String ?? "?"
            for item in o["items"] as? [[String: Any]] ?? [] {
                let ref = org + "/" + (item["id"] as? String ?? "?")
                #expect(result[ref] == nil, "\(ref) exported twice")
                result[ref] = item
            }
        }
        return result
    }

    @Test("json: every organisation and item of the fixture, references written as org/item, no national ones")
    func json() throws {
        try withCoverageFixture { dir in
            let r = try run(["export", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(r.stderr.isEmpty, "\(r.stderr)")
            let organisations = try Self.organisations(r.stdout)
            #expect(Set(organisations.compactMap { $0["id"] as? String }) == fixtureOrganisations)
            #expect(organisations.count == fixtureOrganisations.count)
            for o in organisations {
                #expect(o["national"] as? Bool != true, "\(o["id"] ?? "?") marked national")
            }
            let byID = Dictionary(organisations.map { ($0["id"] as? String ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byID["upplands-vasby"]?["type"] as? String == "kommun")
            #expect(byID["upplands-vasby"]?["code"] as? String == "0114")
            #expect(byID["upplands-vasby"]?["name"] as? String == "Upplands Väsby kommun")
            #expect(byID["vallentuna"]?["code"] as? String == "0115")
            #expect(byID["osteraker"]?["code"] as? String == "0117")
            #expect(byID["region-stockholm"]?["type"] as? String == "region")
            #expect(byID["region-stockholm"]?["code"] as? String == "01")
            // No kommun or region of the fixture writes `county:`: it follows from the code
            // (0114, 0115 and 0117 lie in Stockholms län, 01; a region's länskod is its county).
            for id in ["upplands-vasby", "vallentuna", "osteraker", "region-stockholm"] {
                #expect(byID[id]?["county"] as? String == "01", "\(id): \(byID[id]?["county"] ?? "none")")
            }
            let forbund = byID["sodra-roslagens-arkiv"]
            #expect(forbund?["county"] as? String == "01")
            #expect(forbund?["type"] as? String == "forbund")
            #expect(forbund?["name"] as? String == "Södra Roslagens arkivförbund")
            #expect(Set(forbund?["members"] as? [String] ?? []) == ["upplands-vasby", "vallentuna"], "\(forbund?["members"] ?? "none")")

            let items = Self.items(organisations)
            #expect(Set(items.keys) == Set(expectedDependencies.keys), "items: \(items.keys.sorted())")
            for (ref, item) in items {
                let depends = item["depends_on"] as? [String]
                #expect(depends?.sorted() == expectedDependencies[ref]?.sorted(), "\(ref) depends_on: \(depends ?? [])")
                #expect(item["layer"] as? String == expectedLayers[ref], "\(ref) layer")
                #expect(item["status"] as? String == (expectedStatus[ref] ?? "active"), "\(ref) status")
                #expect(item["tags"] is [Any], "\(ref) tags is not a list")
                #expect(item["capability"] is String, "\(ref) capability")
            }
            #expect(items["upplands-vasby/omsorg"]?["critical"] as? Bool == true)
            #expect(items["upplands-vasby/diarium"]?["critical"] as? Bool == false)
            #expect(items["upplands-vasby/diarium"]?["name"] as? String == "Ärende- och dokumenthantering, \"Public 360\"")
            #expect(items["osteraker/e-arkiv"]?["product"] as? String == "Arkivsystem, version 5")
            #expect(items["osteraker/e-arkiv"]?["standards"] as? [String] == ["fgs-paket"])

            // The restricted item: kept, but its name, product, vendor and notes withheld.
            let server = try #require(items["osteraker/server"])
            #expect(server["name"] as? String == "(restricted)", "\(server)")
            for key in ["product", "vendor", "notes"] {
                #expect(server[key] == nil || server[key] is NSNull, "\(key) not masked: \(server[key] ?? "")")
            }
            #expect(server["sensitivity"] as? String == "restricted")
            #expect(server["capability"] as? String == "datacenter")
            #expect(!r.stdout.contains("HPE") && !r.stdout.contains("Hewlett") && !r.stdout.contains("källaren"),
                    "restricted text leaked into the export")
        }
    }

    @Test("json: `x-` keys of the header and the items are kept, as text (a list as …); a masked item's are left out")
    func extensions() throws {
        let text = """
            inventory: 1
            organisation: {id: acme, name: Acme, type: annan, x-owner: IT-avdelningen}
            hard:
              - {id: dc, name: DC, capability: datacenter, x-asset: "A-17", x-list: [1, 2]}
              - {id: rum, name: Rum, capability: datacenter, sensitivity: restricted, x-room: källaren}
              - {id: plain, name: Plain, capability: datacenter}
            """
        try withTemporaryDirectory { dir in
            try write(["acme.yaml": text], in: dir)
            for (extra, roomShown) in [([String](), false), (["--include-restricted"], true)] {
                let r = try run(["export", "acme.yaml", "--no-national", "--format", "json"] + extra, cwd: dir)
                let acme = try #require(try Self.organisations(r.stdout).first)
                #expect(acme["extensions"] as? [String: String] == ["x-owner": "IT-avdelningen"], "\(acme)")
                let items = Self.items([acme])
                #expect(items["acme/dc"]?["extensions"] as? [String: String] == ["x-asset": "A-17", "x-list": "…"])
                #expect(items["acme/plain"]?["extensions"] == nil, "no key where there are none")
                #expect((items["acme/rum"]?["extensions"] as? [String: String])?["x-room"] == (roomShown ? "källaren" : nil), "\(extra)")
            }
        }
    }

    @Test("json --include-restricted unmasks; --include-national adds the national organisations")
    func flags() throws {
        try withCoverageFixture { dir in
            let r = try run(["export", "fixture", "--format", "json", "--include-restricted"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let server = try #require(Self.items(try Self.organisations(r.stdout))["osteraker/server"])
            #expect(server["name"] as? String == "Serverhall", "\(server)")
            #expect(server["product"] as? String == "HPE Synergy")
            #expect(server["vendor"] as? String == "Hewlett Packard Enterprise")
            #expect(server["notes"] as? String == "Serverhallen i källaren under kommunhuset")

            let national = try run(["export", "fixture", "--format", "json", "--include-national"], cwd: dir)
            #expect(national.exit == 0, "\(national)")
            let organisations = try Self.organisations(national.stdout)
            let ids = Set(organisations.compactMap { $0["id"] as? String })
            #expect(ids.isSuperset(of: fixtureOrganisations))
            #expect(ids.contains("inera"), "\(ids.sorted())")
            for o in organisations {
                let id = o["id"] as? String ?? "?"
                #expect((o["national"] as? Bool) == !fixtureOrganisations.contains(id), "\(id) national: \(o["national"] ?? "none")")
            }
            #expect(Self.items(organisations)["inera/siths"] != nil)
        }
    }

    @Test("json --output FILE writes the same JSON to the file")
    func jsonOutput() throws {
        try withCoverageFixture { dir in
            let stdout = try run(["export", "fixture", "--format", "json"], cwd: dir)
            let r = try run(["export", "fixture", "--format", "json", "--output", "model.json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            let written = try String(contentsOf: dir.appendingPathComponent("model.json"), encoding: .utf8)
            #expect(written == stdout.stdout)

            // Written again over the old file (replaced whole, through a temporary file that
            // does not stay behind), and refused into a directory that does not exist.
            try "old".write(to: dir.appendingPathComponent("model.json"), atomically: true, encoding: .utf8)
            let again = try run(["export", "fixture", "--format", "json", "--output", "model.json"], cwd: dir)
            #expect(again.exit == 0, "\(again)")
            #expect(try String(contentsOf: dir.appendingPathComponent("model.json"), encoding: .utf8) == stdout.stdout)
            let missing = try run(["export", "fixture", "--format", "json", "--output", "no/such/dir/model.json"], cwd: dir)
            #expect(missing.exit == 2 && missing.stderr.contains("cannot write"), "\(missing)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        }
    }

    @Test("csv --output DIR: items.csv one row per item, edges.csv one row per dependency, cross_organisation right")
    func csv() throws {
        try withCoverageFixture { dir in
            let out = dir.appendingPathComponent("out")
            let r = try run(["export", "fixture", "--format", "csv", "--output", "out"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let items = try csvRecords(String(contentsOf: out.appendingPathComponent("items.csv"), encoding: .utf8))
            #expect(items.header.contains("ref") && items.header.contains("name") && items.header.contains("layer"), "\(items.header)")
            #expect(items.rows.count == expectedDependencies.count, "\(items.rows.count) item rows")
            #expect(Set(items.rows.compactMap { $0["ref"] }) == Set(expectedDependencies.keys))
            let byRef = Dictionary(items.rows.map { ($0["ref"] ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
            for (ref, row) in byRef {
                #expect(row["layer"] == expectedLayers[ref], "\(ref) layer: \(row)")
                #expect(row["status"] == (expectedStatus[ref] ?? "active"), "\(ref) status: \(row)")
                #expect(row["organisation"] == nil || row["organisation"] == organisation(of: ref), "\(ref): \(row)")
            }
            // Quoted fields come back intact.
            #expect(byRef["upplands-vasby/diarium"]?["name"] == "Ärende- och dokumenthantering, \"Public 360\"")
            #expect(byRef["osteraker/e-arkiv"]?["product"] == "Arkivsystem, version 5")
            // Masked in the CSV too.
            #expect(byRef["osteraker/server"]?["name"] == "(restricted)")
            #expect(byRef["osteraker/server"]?["product"] == "" && byRef["osteraker/server"]?["vendor"] == "")

            let edges = try csvRecords(String(contentsOf: out.appendingPathComponent("edges.csv"), encoding: .utf8))
            #expect(edges.header.contains("source") && edges.header.contains("target") && edges.header.contains("cross_organisation"),
                    "\(edges.header)")
            let expectedEdges = expectedDependencies.flatMap { source, targets in targets.map { "\(source) -> \($0)" } }
            #expect(expectedEdges.count == 27)
            let gotEdges = edges.rows.map { "\($0["source"] ?? "?") -> \($0["target"] ?? "?")" }
            #expect(gotEdges.sorted() == expectedEdges.sorted(), "edges: \(gotEdges.sorted())")
            var cross = 0
            for row in edges.rows {
                let source = row["source"] ?? "", target = row["target"] ?? ""
                let isCross = organisation(of: source) != organisation(of: target)
                if isCross { cross += 1 }
                #expect(row["cross_organisation"] == (isCross ? "true" : "false"), "\(source) -> \(target): \(row)")
                if let s = row["source_organisation"] { #expect(s == organisation(of: source)) }
                if let t = row["target_organisation"] { #expect(t == organisation(of: target)) }
            }
            #expect(cross == 9, "cross-organisation edges: \(cross)")
        }
    }

    @Test("csv --output creates the directory, whatever the length of its name's parts")
    func csvCreatesDirectory() throws {
        // A one-character name ("d", "c/") crashed Foundation's path splitting (exit 132).
        try withCoverageFixture { dir in
            for output in ["d", "c/", "a/bc", "e/f/g/"] {
                let r = try run(["export", "fixture", "--format", "csv", "--output", output], cwd: dir)
                #expect(r.exit == 0, "\(output): \(r)")
                for file in ["items.csv", "edges.csv"] {
                    let path = dir.appendingPathComponent(output).appendingPathComponent(file).path
                    #expect(FileManager.default.fileExists(atPath: path), "\(output): no \(file)")
                }
            }
        }
    }

    @Test("output is never written over an inventory it reads, whatever the inventory's name")
    func outputNeverOverInput() throws {
        // An inventory named inv.json, read and then replaced by its own export.
        try withCoverageFixture { dir in
            let source = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("fixture").path)
                .filter { $0.hasSuffix(".yaml") }.sorted()[0]
            let text = try String(contentsOf: dir.appendingPathComponent("fixture").appendingPathComponent(source), encoding: .utf8)
            for (command, name) in [(["export"], "inv.json"), (["graph"], "inv.svg")] {
                try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
                let r = try run(command + [name, "--output", name], cwd: dir)
                #expect(r.exit == 2 && r.stderr.contains("an inventory this command reads"), "\(name): \(r)")
                #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == text, "\(name) was changed")
            }
        }
    }

    @Test("csv without --output exits 2 and writes nothing")
    func csvWithoutOutput() throws {
        try withCoverageFixture { dir in
            let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            let r = try run(["export", "fixture", "--format", "csv"], cwd: dir)
            #expect(r.exit == 2, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            #expect(r.stderr.contains("--output"), "\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
        }
    }
}

// MARK: - read only

@Suite("restricted items: names withheld wherever they are shown, unless asked for")
struct RestrictedNameTests {
    /// osteraker/server is `sensitivity: restricted`, named "Serverhall".
    @Test("impact: the failing item's name is withheld; --include-restricted shows it")
    func impact() throws {
        try withCoverageFixture { dir in
            let r = try run(["impact", "osteraker/server", "fixture"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(r.stdout.hasPrefix("If osteraker/server (restricted) fails, 1 service loses it"), "\(r.stdout)")
            #expect(!r.stdout.contains("Serverhall"), "\(r.stdout)")
            let shown = try run(["impact", "osteraker/server", "fixture", "--include-restricted"], cwd: dir)
            #expect(shown.stdout.hasPrefix("If osteraker/server (Serverhall) fails"), "\(shown.stdout)")
        }
    }

    @Test("graph: the node's label is withheld (the id stays); --include-restricted labels it")
    func graph() throws {
        try withCoverageFixture { dir in
            func serverNode(_ extra: [String]) throws -> [String: Any]? {
                let r = try run(["graph", "fixture", "--org", "osteraker", "--format", "json"] + extra, cwd: dir)
                let nodes = try jsonObject(r.stdout)["nodes"] as? [[String: Any]] ?? []
                return nodes.first { $0["id"] as? String == "osteraker/server" }
            }
            #expect(try serverNode([])?["name"] as? String == "(restricted)")
            #expect(try serverNode(["--include-restricted"])?["name"] as? String == "Serverhall")
            let dot = try run(["graph", "fixture", "--focus", "osteraker/server", "--format", "dot"], cwd: dir)
            #expect(dot.exit == 0 && !dot.stdout.contains("Serverhall"), "\(dot.stdout.prefix(400))")
        }
    }

    @Test("scan: the blast-radius list withholds the name in every format")
    func scan() throws {
        try withCoverageFixture { dir in
            // Other kommuner's (not restricted) server halls are named "Serverhall" too.
            for format in ["text", "markdown"] {
                let r = try run(["scan", "fixture", "--format", format], cwd: dir)
                let line = r.stdout.split(separator: "\n").first { $0.contains("osteraker/server") }
                #expect(line?.contains("(restricted)") == true && line?.contains("Serverhall") == false, "\(format): \(line ?? "not listed")")
                #expect(r.stdout.split(separator: "\n").contains { $0.contains("vallentuna/server") && $0.contains("Serverhall") }, "\(format)")
            }
            let json = try run(["scan", "fixture", "--format", "json"], cwd: dir)
            let hotspots = (try jsonObject(json.stdout)["overview"] as? [String: Any])?["largest_blast_radius"] as? [[String: Any]] ?? []
            #expect(hotspots.first { $0["item"] as? String == "osteraker/server" }?["name"] as? String == "(restricted)", "\(hotspots)")
        }
    }
}

@Suite("impact, coverage and export never modify the inventories")
struct ImpactCoverageExportReadOnlyTests {
    @Test("every command and format leaves the fixture's files, contents and modification dates unchanged")
    func unchanged() throws {
        try withCoverageFixture { dir in
            let fixture = dir.appendingPathComponent("fixture")
            let before = try snapshot(fixture)
            #expect(before.count == CoverageFixture.files.count)
            let commands: [[String]] = [
                ["impact", "sodra-roslagens-arkiv/e-arkiv", "fixture"],
                ["impact", "sodra-roslagens-arkiv/e-arkiv", "fixture", "--format", "json"],
                ["impact", "sodra-roslagens-arkiv/nosuch", "fixture"],
                ["coverage", "fixture"],
                ["coverage", "fixture", "--format", "csv", "--by", "county"],
                ["coverage", "fixture", "--format", "markdown"],
                ["coverage", "fixture", "--format", "json"],
                ["export", "fixture"],
                ["export", "fixture", "--include-national", "--include-restricted"],
                ["export", "fixture", "--format", "json", "--output", "model.json"],
                ["export", "fixture", "--format", "csv", "--output", "csv-out"],
                ["export", "fixture", "--format", "csv"],
                ["export", "fixture", "--format", "json", "--output", "fixture/osteraker.yaml"],  // refused
                ["export", "fixture", "--format", "json", "--output", "link.json"],  // refused: a link to an inventory
                ["export", "fixture", "--format", "csv", "--output", "fixture/osteraker.yaml"],  // refused: a file
            ]
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path,
                                                       withDestinationPath: "fixture/osteraker.yaml")
            for args in commands {
                let r = try run(args, cwd: dir)
                #expect(r.exit == 0 || r.exit == 2, "\(args): \(r)")
                // Refusals say why in a sentence, not as a Foundation error dictionary.
                #expect(r.exit == 0 || (r.stderr.hasPrefix("infra: error: ") && !r.stderr.contains("NSCocoaErrorDomain")), "\(args): \(r)")
            }
            let after = try snapshot(fixture)
            #expect(Set(after.keys) == Set(before.keys), "files added or removed: \(Set(after.keys).symmetricDifference(before.keys))")
            for (path, (data, date)) in before {
                #expect(after[path]?.0 == data, "\(path) changed")
                #expect(after[path]?.1 == date, "\(path) modification date changed")
            }
        }
    }
}
