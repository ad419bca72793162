import Foundation
import Testing

@Suite("infra init and infra schema")
struct InitSchemaTests {
    @Test("init --kommun: header from SCB's list, collision-free ids for Håbo and Habo, and the result validates")
    func initKommun() throws {
        try withTemporaryDirectory { dir in
            let habo = try run(["init", "--kommun", "0305"])
            let habo2 = try run(["init", "--kommun", "Habo"])
            #expect(habo.exit == 0 && habo2.exit == 0)
            #expect(habo.stdout.contains("id: habo-0305") && habo.stdout.contains("name: Håbo kommun"))
            #expect(habo.stdout.contains("code: \"0305\"") && habo.stdout.contains("county: \"03\""))
            #expect(habo2.stdout.contains("id: habo-0643") && habo2.stdout.contains("name: Habo kommun"))
            // Every kommun baseline capability appears as a template.
            for cap in ["eid-citizen", "eid-staff", "e-signature", "secure-messaging", "digital-mailbox", "e-archive",
                        "broadband-access", "school-platform", "social-care-records", "digital-safety-alarm"] {
                #expect(habo.stdout.contains("capability: \(cap)"), "template for \(cap)")
            }
            try write(["habo.yaml": habo.stdout, "habo2.yaml": habo2.stdout], in: dir)
            let validated = try run(["validate", "--format", "json", dir.path])
            #expect(validated.exit == 0, "\(validated)")
            let report = try Report(validated.stdout)
            #expect(report.count("organisations") == 2)
            #expect(report.errors.isEmpty && report.warnings.isEmpty)
        }
    }

    @Test("two starters uncommented as they say (the `[]` deleted, the templates kept) scan without a shared-product finding")
    func uncommentedStartersShareNoProduct() throws {
        try withTemporaryDirectory { dir in
            var files: [String: String] = [:]
            for code in ["2584", "2280"] {
                let starter = try run(["init", "--kommun", code])
                #expect(starter.exit == 0)
                files["\(code).yaml"] = starter.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                    if line.hasPrefix("#  ") { return String(line.dropFirst()) }  // a template line, uncommented
                    for layer in ["services", "soft", "hard"] where line.hasPrefix("\(layer): []") { return "\(layer):" }  // `[]` deleted
                    return String(line)
                }.joined(separator: "\n")
            }
            try write(files, in: dir)
            let scanned = try run(["scan", "--format", "json", dir.path])
            let report = try Report(scanned.stdout)
            #expect(report.count("items") == 20, "\(scanned.stdout.prefix(2000))")
            let rules = report.findings.map(\.rule)
            #expect(!rules.contains("consolidation-candidate") && !rules.contains("yaml-syntax"), "\(rules)")
        }
    }

    @Test("Gotland's starter, uncommented, has the kommun's and the region's baseline: no baseline gap is left")
    func gotlandStarterHasBothBaselines() throws {
        try withTemporaryDirectory { dir in
            let starter = try run(["init", "--kommun", "0980"])
            #expect(starter.exit == 0)
            let text = starter.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                if line.hasPrefix("#  ") { return String(line.dropFirst()) }
                for layer in ["services", "soft", "hard"] where line.hasPrefix("\(layer): []") { return "\(layer):" }
                return String(line)
            }.joined(separator: "\n")
            try write(["gotland.yaml": text], in: dir)
            let report = try Report(try run(["scan", "--format", "json", "gotland.yaml"], cwd: dir).stdout)
            #expect(!report.findings.contains { $0.rule == "baseline-missing" }, "\(report.findings.filter { $0.rule == "baseline-missing" })")
        }
    }

    @Test("infra vocabulary lists the national components, and each resolves as a dependency")
    func vocabularyListsNationalComponents() throws {
        let listed = try run(["vocabulary"])
        #expect(listed.exit == 0)
        let section = try #require(listed.stdout.components(separatedBy: "National components").last)
        let refs = section.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(refs.contains("inera/siths") && refs.contains("bankid/bankid") && refs.contains("digg/mina-meddelanden"), "\(refs)")
        try withTemporaryDirectory { dir in
            try write(["a.yaml": "inventory: 1\norganisation: {id: a, name: A, type: annan}\nservices:\n"
                       + "  - {id: s, name: S, capability: e-service, depends_on: [\(refs.joined(separator: ", "))]}\n"], in: dir)
            let validated = try run(["validate", "--format", "json", dir.path])
            let report = try Report(validated.stdout)
            #expect(!report.findings.contains { $0.rule == "unresolved-reference" }, "\(validated.stdout.prefix(3000))")
        }
    }

    @Test("init --kommun finds a kommun asked for as a stad, and names it so; a name's first word suggests the kommun it starts")
    func initStadAndPartialNames() throws {
        let malmo = try run(["init", "--kommun", "Malmö stad"])
        #expect(malmo.exit == 0 && malmo.stdout.contains("name: Malmö stad") && malmo.stdout.contains("code: \"1280\""), "\(malmo)")
        let stockholm = try run(["init", "--kommun", "Stockholms stad"])
        #expect(stockholm.exit == 0 && stockholm.stdout.contains("code: \"0180\""), "\(stockholm)")
        try withTemporaryDirectory { dir in
            try write(["malmo.yaml": malmo.stdout], in: dir)
            let validated = try run(["validate", "--format", "json", dir.path])
            #expect(try Report(validated.stdout).findings.isEmpty, "\(validated.stdout)")
        }
        let malung = try run(["init", "--kommun", "Malung"])
        #expect(malung.exit == 2 && malung.stderr.contains("did you mean Malung-Sälen?"), "\(malung)")
    }

    @Test("init --region and --org validate; --output writes a new file and never overwrites one")
    func initOutput() throws {
        try withTemporaryDirectory { dir in
            let region = dir.appendingPathComponent("region.yaml").path
            let first = try run(["init", "--region", "22", "--output", region])
            #expect(first.exit == 0, "\(first)")
            let text = try String(contentsOfFile: region, encoding: .utf8)
            #expect(text.contains("name: Region Västernorrland") && text.contains("type: region"))
            let again = try run(["init", "--region", "22", "--output", region])
            #expect(again.exit == 2 && again.stderr.contains("already exists"))
            #expect(try String(contentsOfFile: region, encoding: .utf8) == text)

            // A link pointing nowhere is something there too: neither replaced nor followed.
            let link = dir.appendingPathComponent("link.yaml").path, target = dir.appendingPathComponent("elsewhere.txt").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            let onLink = try run(["init", "--region", "22", "--output", link])
            #expect(onLink.exit == 2 && onLink.stderr.contains("already exists"), "\(onLink)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
            #expect(!FileManager.default.fileExists(atPath: target))
            try FileManager.default.removeItem(atPath: link)

            let forbund = try run(["init", "--org", "Sydarkivera", "--type", "forbund", "--output", dir.appendingPathComponent("f.yaml").path])
            #expect(forbund.exit == 0)
            let validated = try run(["validate", dir.path])
            #expect(validated.exit == 0, "\(validated)")
        }
    }

    @Test("init finds kommuner and regions as people write them; any --org name gives an inventory that validates")
    func initSpellings() throws {
        for (args, name) in [(["--kommun", "114"], "Upplands Väsby kommun"), (["--kommun", "Sundsvalls kommun"], "Sundsvalls kommun"),
                             (["--kommun", "goteborg"], "Göteborgs kommun"), (["--kommun", "Falu kommun"], "Falu kommun"), (["--region", "Västernorrland"], "Region Västernorrland"),
                             (["--region", "region skane"], "Region Skåne"), (["--region", "1"], "Region Stockholm")] {
            let r = try run(["init"] + args)
            #expect(r.exit == 0 && r.stdout.contains("  name: \(name)\n"), "\(args): \(r)")
        }
        // Names YAML would read as something else, or not at all: quoted, so each validates.
        try withTemporaryDirectory { dir in
            let long = "Förvaltningen för " + String(repeating: "digital infrastruktur och ", count: 12)
            let names = ["***", "@at", "null", "~", "[list]", "{map}", "İstanbul IT", "Yes", "12", "a \"q\" \\ b", "Œuvre: #1",
                         "new\nline", "x\ninventory: 2", long]
            for (k, name) in names.enumerated() {
                let r = try run(["init", "--org", name, "--type", "annan", "--output", "o\(k).yaml"], cwd: dir)
                #expect(r.exit == 0, "\(name): \(r)")
                let validated = try run(["validate", "--format", "json", "o\(k).yaml"], cwd: dir)
                #expect(validated.exit == 0, "\(name): \(validated)")
                let report = try Report(validated.stdout)
                #expect(report.findings.isEmpty, "\(name): \(report.findings)")
                // The name reads back as given.
                let export = try run(["export", "--no-national", "o\(k).yaml"], cwd: dir)
                let organisations = try jsonObject(export.stdout)["organisations"] as? [[String: Any]] ?? []
                #expect(organisations.first?["name"] as? String == name, "\(name): \(organisations)")
                // An id the format accepts: at most 100 characters.
                let id = organisations.first?["id"] as? String ?? ""
                #expect(!id.isEmpty && id.count <= 100, "\(name): \(id)")
            }
        }
    }

    @Test("init for one of the built-in national organisations joins it instead of repeating its header")
    func initNational() throws {
        try withTemporaryDirectory { dir in
            for (k, (given, id)) in [("Inera", "inera"), ("Inera AB", "inera"), ("DIGG", "digg"), ("Myndigheten för digital förvaltning", "digg"),
                                     ("skatteverket", "skatteverket"), ("Försäkringskassan", "forsakringskassan"),
                                     ("Vetenskapsrådet", "vetenskapsradet")].enumerated() {
                let r = try run(["init", "--org", given, "--type", "myndighet", "--output", "n\(k).yaml"], cwd: dir)
                #expect(r.exit == 0, "\(given): \(r)")
                let text = try String(contentsOf: dir.appendingPathComponent("n\(k).yaml"), encoding: .utf8)
                #expect(text.contains("\n  id: \(id)\n") && !text.contains("\n  name:") && !text.contains("\n  type:"), "\(given): \(text)")
                // It validates together with the built-in organisation it joins.
                let validated = try run(["validate", "--format", "json", "n\(k).yaml"], cwd: dir)
                #expect(validated.exit == 0, "\(given): \(validated)")
                #expect(try Report(validated.stdout).findings.isEmpty, "\(given)")
            }
            // Inera is a bolag: --type does not make it a myndighet, and infra says so.
            let inera = try run(["init", "--org", "Inera", "--type", "myndighet"], cwd: dir)
            #expect(inera.stderr.contains("built in as a bolag"), "\(inera)")
            // Its type is known, so --type may be left out (the README's `--org Inera`); for any
            // other organisation it is still needed.
            let plain = try run(["init", "--org", "Inera"], cwd: dir)
            #expect(plain.exit == 0 && plain.stdout.contains("\n  id: inera\n") && plain.stderr.isEmpty, "\(plain)")
            let unknownType = try run(["init", "--org", "Sydarkivera"], cwd: dir)
            #expect(unknownType.exit == 2 && unknownType.stderr.contains("--org needs --type"), "\(unknownType)")
            // Another organisation is not mistaken for one of them.
            let other = try run(["init", "--org", "Inera Kommunförbund", "--type", "forbund"], cwd: dir)
            #expect(other.stdout.contains("\n  name: Inera Kommunförbund\n"), "\(other)")
        }
    }

    @Test("init rejects unknown codes and contradictory options with exit 2")
    func initErrors() throws {
        let unknown = try run(["init", "--kommun", "9999"])
        #expect(unknown.exit == 2 && unknown.stderr.contains("290"))
        let typo = try run(["init", "--kommun", "Sundsval"])
        #expect(typo.exit == 2 && typo.stderr.contains("Sundsvall"))
        let both = try run(["init", "--kommun", "0114", "--region", "01"])
        #expect(both.exit == 2)
        let kommunType = try run(["init", "--org", "X", "--type", "kommun"])
        #expect(kommunType.exit == 2)
        let typeIgnored = try run(["init", "--region", "22", "--type", "myndighet"])
        #expect(typeIgnored.exit == 2 && typeIgnored.stderr.contains("--type"), "\(typeIgnored)")
        // A blank name would make a header without `name`, which does not validate.
        let blank = try run(["init", "--org", " ", "--type", "annan"])
        #expect(blank.exit == 2 && blank.stderr.contains("name") && blank.stdout.isEmpty, "\(blank)")
    }

    /// Python with jsonschema: $JSONSCHEMA_PYTHON, the one `make test` installs into
    /// .build-deps/python, or a `python3` on the PATH that can import it.
    static let jsonschemaPython: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["JSONSCHEMA_PYTHON"], !chosen.isEmpty {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        let bundled = repoRoot.appendingPathComponent(".build-deps/python/bin/python").path
        if FileManager.default.isExecutableFile(atPath: bundled) { return bundled }
        let onPath = (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        guard let python = onPath.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import jsonschema"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? python : nil
    }()

    /// Runs `script` with the Python that has jsonschema (`jsonschemaPython`) in `dir`; its stdout.
    static func runJSONSchemaPython(_ script: String, _ arguments: [String] = [], in dir: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(jsonschemaPython))
        process.arguments = ["-c", script] + arguments
        process.currentDirectoryURL = dir
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }

    @Test("schema: an editor accepts what infra accepts (nulls, yes, \"1\", numbers as text) and flags what it rejects",
          .enabled(if: jsonschemaPython != nil, "needs Python's jsonschema (JSONSCHEMA_PYTHON; make test installs it)"))
    func schemaAgreesWithInfra() throws {
        // Each inventory as YAML, and as the YAML language server reads it (YAML 1.2: `yes`
        // is text, `~` null, `2024` a number). infra must accept the first group with no
        // finding and the schema must too; infra and the schema both reject the second.
        let header = "inventory: 1\norganisation: {id: ange, name: Ånge kommun, type: kommun, code: \"2260\"}\n"
        let headerJSON = #""inventory": 1, "organisation": {"id": "ange", "name": "Ånge kommun", "type": "kommun", "code": "2260"}"#
        let server = #""id": "srv", "name": "Server", "capability": "datacenter""#
        let accepted: [(yaml: String, json: String)] = [
            (header + "services: ~\nsoft:\nhard: []\n", "{\(headerJSON), \"services\": null, \"soft\": null, \"hard\": []}"),
            (header + "hard:\n  - {id: srv, name: Server, capability: datacenter, critical: yes, status: ~, depends_on: ~}\n",
             "{\(headerJSON), \"hard\": [{\(server), \"critical\": \"yes\", \"status\": null, \"depends_on\": null}]}"),
            (header + "hard:\n  - {id: srv, name: 2024, capability: datacenter, tags: [1, a, ~], coverage: {households: 97%}}\n",
             "{\(headerJSON), \"hard\": [{\"id\": \"srv\", \"name\": 2024, \"capability\": \"datacenter\", \"tags\": [1, \"a\", null], \"coverage\": {\"households\": \"97%\"}}]}"),
            ("inventory: \"1\"\norganisation: {id: ange, name: Ånge kommun, type: kommun, code: \"2260\", parent: ~, members: ~}\n",
             #"{"inventory": "1", "organisation": {"id": "ange", "name": "Ånge kommun", "type": "kommun", "code": "2260", "parent": null, "members": null}}"#),
        ]
        let rejected: [(yaml: String, json: String)] = [
            (header + "hard:\n  - {id: Bad Id, name: Server, capability: datacenter}\n",
             "{\(headerJSON), \"hard\": [{\"id\": \"Bad Id\", \"name\": \"Server\", \"capability\": \"datacenter\"}]}"),
            (header + "hard:\n  - {id: srv, name: Server, capability: datacenter, critical: y}\n",
             "{\(headerJSON), \"hard\": [{\(server), \"critical\": \"y\"}]}"),
            (header + "hard:\n  - {id: srv, name: ~, capability: datacenter}\n",
             "{\(headerJSON), \"hard\": [{\"id\": \"srv\", \"name\": null, \"capability\": \"datacenter\"}]}"),
            (header + "hard:\n  - {id: srv, name: Server, capability: datacenter, dependson: [x]}\n",
             "{\(headerJSON), \"hard\": [{\(server), \"dependson\": [\"x\"]}]}"),
        ]
        try withTemporaryDirectory { dir in
            let schema = try run(["schema"])
            try write(["schema.json": schema.stdout], in: dir)
            var files: [String: String] = [:]
            for (k, case_) in (accepted + rejected).enumerated() {
                files["i\(k).yaml"] = case_.yaml
                files["i\(k).json"] = case_.json
            }
            try write(files, in: dir)
            for k in (accepted + rejected).indices {
                let r = try run(["validate", "--no-national", "--format", "json", "i\(k).yaml"], cwd: dir)
                let findings = try Report(r.stdout).findings
                #expect(findings.isEmpty == (k < accepted.count), "infra on case \(k): \(findings)")
            }
            let script = """
                import json, jsonschema, sys
                v = jsonschema.Draft202012Validator(json.load(open("schema.json")))
                for k in range(int(sys.argv[1])):
                    errors = list(v.iter_errors(json.load(open(f"i{k}.json"))))
                    print(k, "valid" if not errors else "invalid: " + errors[0].message)
                """
            let output = try Self.runJSONSchemaPython(script, [String(accepted.count + rejected.count)], in: dir)
            let lines = output.split(separator: "\n")
            #expect(lines.count == accepted.count + rejected.count, "\(output)")
            for line in lines {
                let k = Int(line.prefix { $0 != " " }) ?? -1
                #expect(line == "\(k) valid" || !(k < accepted.count), "schema on case \(k): \(line)")
                #expect(line.hasPrefix("\(k) invalid") || k < accepted.count, "schema on case \(k): \(line)")
            }
        }
    }

    @Test("schema: JSON Schema 2020-12 listing every key, capability and standard")
    func schema() throws {
        let result = try run(["schema"])
        #expect(result.exit == 0)
        let schema = try jsonObject(result.stdout)
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(Set(schema["required"] as? [String] ?? []) == ["inventory", "organisation"])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == ["inventory", "organisation", "services", "soft", "hard"])
        // A layer is a list of items, or null.
        func itemSchema(_ layer: String) -> [String: Any]? {
            let list = ((properties[layer] as? [String: Any])?["anyOf"] as? [[String: Any]])?.first { $0["type"] as? String == "array" }
            return (list?["items"] as? [String: Any]).flatMap { $0["type"] as? String == "object" ? $0 : nil }
        }
        let hard = try #require(itemSchema("hard"))
        let hardProps = try #require(hard["properties"] as? [String: Any])
        #expect(hardProps["coverage"] != nil)
        let soft = try #require(itemSchema("soft"))
        #expect((soft["properties"] as? [String: Any])?["coverage"] == nil, "coverage is for the hard layer only")
        // The capability enum of the soft layer is the soft vocabulary.
        let capability = try #require((soft["properties"] as? [String: Any])?["capability"] as? [String: Any])
        let anyOf = try #require(capability["anyOf"] as? [[String: Any]])
        let softCaps = Set(anyOf.first?["enum"] as? [String] ?? [])
        #expect(softCaps.isSuperset(of: ["e-archive", "eid-staff", "secure-messaging", "digital-mailbox"]))
        #expect(!softCaps.contains("school-platform") && !softCaps.contains("wan"))
    }
}
