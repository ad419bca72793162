import Foundation
import Testing

// `infra scan --save`, `history`, `diff`, `trend` and the findings baseline, run as a user
// would: the built executable on files in a temporary directory.

/// Two versions of one kommun's inventory, and a bolag that appears in the second. Between
/// them, exactly:
///   items added      ange/diarium, angebolaget/drift      removed  ange/gammal
///   items changed    ange/portal (name), ange/skolplattform (status)
///   dependencies +   ange/diarium → ange/server, ange/skolplattform → ange/arkiv
///   dependencies −   ange/gammal → ange/server, ange/portal → ange/bredband
///   findings +       depends-on-retired on ange/skolplattform (arkiv is retired)
///   coverage         datacenter among bolag: none → 1 of 1
/// The second version also moves items around (hard first) so every line number changes;
/// that alone must not show up anywhere.
enum HistoryFixture {
    static let version1 = """
        inventory: 1
        organisation:
          id: ange
          name: Ånge kommun
          type: kommun
          code: "2260"

        services:
          - id: skolplattform
            name: Skolplattform
            capability: school-platform
            depends_on: [server]

          - id: gammal
            name: Gamla diariet
            capability: case-management
            depends_on: [server]

          - id: portal
            name: E-tjänsteportal
            capability: e-service
            depends_on: [server, bredband]

        soft:
          - id: arkiv
            name: E-arkiv
            capability: e-archive
            status: retired
            depends_on: [server]

        hard:
          - id: server
            name: Serverhall
            capability: datacenter

          - id: bredband
            name: Bredband
            capability: broadband-access

        """

    static let version2 = """
        # Reordered: hard first, a comment block on top, so every line moved.
        #
        inventory: 1
        organisation:
          id: ange
          name: Ånge kommun
          type: kommun
          code: "2260"

        hard:
          - id: bredband
            name: Bredband
            capability: broadband-access

          - id: server
            name: Serverhall
            capability: datacenter

        soft:
          - id: arkiv
            name: E-arkiv
            capability: e-archive
            status: retired
            depends_on: [server]

        services:
          - id: portal
            name: Självservice
            capability: e-service
            depends_on: [server]

          - id: diarium
            name: Diarium
            capability: case-management
            depends_on: [server]

          - id: skolplattform
            name: Skolplattform
            capability: school-platform
            status: retiring
            depends_on: [server, arkiv]

        """

    static let bolag = """
        inventory: 1
        organisation:
          id: angebolaget
          name: Ångebolaget AB
          type: bolag
          parent: ange

        hard:
          - id: drift
            name: Drift
            capability: datacenter

        """
}

@Suite("history: scan --save, history, diff, trend")
struct HistoryTests {
    /// Saves version 1 and version 2 of the fixture (same paths, as a repository would) into `infra.db`.
    func twoSnapshots(in dir: URL) throws {
        try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
        let first = try run(["scan", "inv", "--save", "infra.db"], cwd: dir)
        #expect(first.exit == 0, "\(first)")
        #expect(first.stderr.contains("saved snapshot 1 to infra.db (11 organisations stored, 0 unchanged"), "\(first)")
        try write(["inv/ange.yaml": HistoryFixture.version2, "inv/angebolaget.yaml": HistoryFixture.bolag], in: dir)
        let second = try run(["scan", "inv", "--save", "infra.db"], cwd: dir)
        #expect(second.exit == 0, "\(second)")
        // ange changed and angebolaget is new; the 10 national organisations are as before.
        #expect(second.stderr.contains("saved snapshot 2 to infra.db (2 organisations stored, 10 unchanged since an earlier snapshot; the 10 built-in national ones counted too)"),
                "\(second)")
    }

    /// The exact changes between the two versions, from `diff --format json`.
    func expectFixtureChanges(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let d = try jsonObject(text)
        let organisations = try #require(d["organisations"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(organisations["added"] as? [String] == ["angebolaget"], sourceLocation: sourceLocation)
        #expect(organisations["removed"] as? [String] == [], sourceLocation: sourceLocation)
        #expect((organisations["changed"] as? [Any])?.isEmpty == true, "\(organisations)", sourceLocation: sourceLocation)

        let items = try #require(d["items"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(items["added"] as? [String] == ["ange/diarium", "angebolaget/drift"], sourceLocation: sourceLocation)
        #expect(items["removed"] as? [String] == ["ange/gammal"], sourceLocation: sourceLocation)
        let changed = try #require(items["changed"] as? [[String: Any]], sourceLocation: sourceLocation)
        let summary = changed.map { c -> String in
            let fields = (c["fields"] as? [[String: Any]] ?? []).map {
                "\($0["field"] as? String ?? "?"): \($0["old"] as? String ?? "nil") → \($0["new"] as? String ?? "nil")"
            }
            return "\(c["item"] as? String ?? "?") " + fields.joined(separator: "; ")
        }
        #expect(summary == ["ange/portal name: E-tjänsteportal → Självservice",
                            "ange/skolplattform status: active → retiring"], sourceLocation: sourceLocation)

        let dependencies = try #require(d["dependencies"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(dependencies["added"] as? [[String]] == [["ange/diarium", "ange/server"], ["ange/skolplattform", "ange/arkiv"]],
                sourceLocation: sourceLocation)
        #expect(dependencies["removed"] as? [[String]] == [["ange/gammal", "ange/server"], ["ange/portal", "ange/bredband"]],
                sourceLocation: sourceLocation)

        let findings = try #require(d["findings"] as? [String: Any], sourceLocation: sourceLocation)
        let appeared = (findings["appeared"] as? [[String: Any]] ?? []).map(JSONFinding.init)
        #expect(appeared.map { "\($0.rule) \($0.organisation ?? "-")/\($0.item ?? "-")" } == ["depends-on-retired ange/skolplattform"],
                "\(appeared)", sourceLocation: sourceLocation)
        #expect(appeared.first?.raw["fingerprint"] as? String != nil, sourceLocation: sourceLocation)
        #expect((findings["disappeared"] as? [Any])?.isEmpty == true, "\(findings)", sourceLocation: sourceLocation)

        let coverage = try #require(d["coverage"] as? [[String: Any]], sourceLocation: sourceLocation)
        #expect(coverage.map { "\($0["term"] as? String ?? "") \($0["organisation_type"] as? String ?? "") \($0["direction"] as? String ?? "")" }
                    == ["datacenter bolag up"], sourceLocation: sourceLocation)
    }

    @Test("history --delete removes a snapshot and what only it held; an unknown id exits 2 and deletes nothing")
    func deleteSnapshot() throws {
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)
            let missing = try run(["history", "--delete", "2", "--delete", "7"], cwd: dir)
            #expect(missing.exit == 2 && missing.stderr.contains("no snapshot 7"), "\(missing)")

            let deleted = try run(["history", "--delete", "1"], cwd: dir)
            #expect(deleted.exit == 0, "\(deleted)")
            // Only ange's first version went; the national organisations are still held by snapshot 2.
            #expect(deleted.stderr.contains("deleted 1 snapshot from infra.db, with what no other snapshot held: 1 organisation version (6 items)"),
                    "\(deleted)")
            let lines = deleted.stdout.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("#2 "), "\(deleted.stdout)")
            let diff = try run(["diff", "2", "inv", "--format", "json"], cwd: dir)
            #expect(diff.exit == 0 && diff.stdout.contains("\"added\": []"), "\(diff)")
        }
    }

    @Test("two snapshots: history lists both, diff gives exactly the changes")
    func historyAndDiff() throws {
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)

            let history = try run(["history"], cwd: dir)
            #expect(history.exit == 0, "\(history)")
            let lines = history.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(history.stdout)")
            #expect(lines.first?.hasPrefix("#1 ") == true && lines.last?.hasPrefix("#2 ") == true, "\(history.stdout)")
            #expect(lines.last?.contains("2 orgs") == true && lines.last?.contains("7 items") == true, "\(history.stdout)")
            // ange changed and angebolaget is new; the first snapshot has nothing before it.
            #expect(lines.last?.contains("2 orgs  2 new or changed") == true, "\(history.stdout)")
            #expect(lines.first?.range(of: "1 org +- ", options: .regularExpression) != nil, "\(history.stdout)")

            let json = try run(["history", "--format", "json"], cwd: dir)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(list.map { $0["snapshot"] as? Int } == [1, 2])
            #expect(list.map { $0["items"] as? Int } == [6, 7])
            #expect(list.first?["organisations_changed"] is NSNull && list.last?["organisations_changed"] as? Int == 2)
            #expect(list.map { $0["warnings"] as? Int }.last == (list.first?["warnings"] as? Int).map { $0 + 1 })

            // Default: the last two snapshots; and the same named explicitly.
            let diff = try run(["diff", "--format", "json"], cwd: dir)
            #expect(diff.exit == 0, "\(diff)")
            try expectFixtureChanges(diff.stdout)
            try expectFixtureChanges(try run(["diff", "1", "2", "--format", "json", "--db", "infra.db"], cwd: dir).stdout)

            // Backwards, everything turns around.
            let back = try jsonObject(try run(["diff", "2", "1", "--format", "json"], cwd: dir).stdout)
            #expect((back["items"] as? [String: Any])?["removed"] as? [String] == ["ange/diarium", "angebolaget/drift"])
            #expect(((back["findings"] as? [String: Any])?["disappeared"] as? [Any])?.count == 1)

            let text = try run(["diff"], cwd: dir)
            #expect(text.stdout.contains("+ ange/diarium"), "\(text)")
            #expect(text.stdout.contains("~ ange/portal: name \"E-tjänsteportal\" → \"Självservice\""), "\(text)")
            #expect(text.stdout.contains("- ange/portal → ange/bredband"), "\(text)")

            // On a terminal a finding that appeared is bad news (red), an item added is not (green).
            let coloured = try run(["diff"], cwd: dir, environment: ["TERM": "xterm", "NO_COLOR": ""], onTerminal: true)
            let shown = coloured.stdout.components(separatedBy: "\n")
            #expect(shown.contains { $0.contains("depends-on-retired") && $0.contains("\u{1B}[31m+") }, "\(coloured)")
            #expect(shown.contains { $0.contains("ange/diarium") && $0.contains("\u{1B}[32m+") }, "\(coloured)")
            // --limit 0 shows no rows and says so, rather than "… and 1 more" under nothing.
            let none = try run(["diff", "--limit", "0"], cwd: dir).stdout
            #expect(none.contains("(1 not shown: --limit)") && !none.contains("… and"), "\(none)")

            let markdown = try run(["diff", "--format", "markdown"], cwd: dir)
            #expect(markdown.stdout.hasPrefix("## infra diff: snapshot 1"), "\(markdown)")
            #expect(markdown.stdout.contains("Findings that appeared (1)"), "\(markdown)")
            #expect(markdown.stdout.contains("`depends-on-retired`"), "\(markdown)")
            // Findings are counted under "appeared", not under an "added" column.
            #expect(markdown.stdout.contains("| | appeared or up | disappeared or down | mixed |\n|---|---:|---:|---:|\n| Findings | 1 | "),
                    "\(markdown.stdout)")
        }
    }

    @Test("diff JSON gives lists as lists and true/false as booleans; the same standards in another order are no change")
    func diffTypedFields() throws {
        try withTemporaryDirectory { dir in
            let before = HistoryFixture.version1.replacingOccurrences(
                of: "name: Skolplattform\n    capability: school-platform", with: "name: Skolplattform\n    capability: school-platform\n    standards: [saml2, oidc]")
            try write(["inv/ange.yaml": before], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            try write(["inv/ange.yaml": before.replacingOccurrences(of: "standards: [saml2, oidc]", with: "standards: [oidc, saml2]")], in: dir)
            let reordered = try jsonObject(try run(["diff", "inv", "--format", "json"], cwd: dir).stdout)
            #expect(((reordered["items"] as? [String: Any])?["changed"] as? [Any])?.isEmpty == true, "\(reordered)")
            try write(["inv/ange.yaml": before.replacingOccurrences(of: "standards: [saml2, oidc]", with: "standards: [oidc]\n    critical: true")], in: dir)
            let changed = try jsonObject(try run(["diff", "inv", "--format", "json"], cwd: dir).stdout)
            let items = try #require(changed["items"] as? [String: Any])
            let details = try #require(items["changed"] as? [[String: Any]], "\(changed)")
            let fields = details.flatMap { $0["fields"] as? [[String: Any]] ?? [] }
            let critical = try #require(fields.first { $0["field"] as? String == "critical" }, "\(fields)")
            #expect(critical["old"] as? Bool == false && critical["new"] as? Bool == true, "\(critical)")
            let standards = try #require(fields.first { $0["field"] as? String == "standards" })
            #expect(standards["old"] as? [String] == ["saml2", "oidc"] && standards["new"] as? [String] == ["oidc"], "\(standards)")
        }
    }

    @Test("diff against the inventories on disk, scanned as the snapshot was")
    func diffAgainstDisk() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            // Nothing changed yet.
            let same = try run(["diff", "inv", "--format", "json"], cwd: dir)
            #expect(same.exit == 0, "\(same)")
            let none = try jsonObject(same.stdout)
            #expect((none["items"] as? [String: Any])?["added"] as? [String] == [])
            #expect(((none["findings"] as? [String: Any])?["appeared"] as? [Any])?.isEmpty == true, "\(same.stdout)")
            #expect((none["new"] as? [String: Any])?["snapshot"] is NSNull)

            try write(["inv/ange.yaml": HistoryFixture.version2, "inv/angebolaget.yaml": HistoryFixture.bolag], in: dir)
            let diff = try run(["diff", "inv", "--format", "json"], cwd: dir)
            #expect(diff.exit == 0, "\(diff)")
            try expectFixtureChanges(diff.stdout)
            try expectFixtureChanges(try run(["diff", "1", "inv", "--format", "json"], cwd: dir).stdout)
            // Diffing never records anything.
            #expect(try run(["history"], cwd: dir).stdout.split(separator: "\n").count == 1)
        }
    }

    @Test("wrong snapshot ids and arguments exit 2")
    func usage() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let one = try run(["diff"], cwd: dir)
            #expect(one.exit == 2 && one.stderr.contains("holds 1 snapshot"), "\(one)")
            let unknown = try run(["diff", "1", "9"], cwd: dir)
            #expect(unknown.exit == 2 && unknown.stderr.contains("no snapshot 9"), "\(unknown)")
            let huge = try run(["diff", "1", "99999999999999999999"], cwd: dir)
            #expect(huge.exit == 2 && huge.stderr.contains("no snapshot 99999999999999999999"), "\(huge)")
            #expect(try run(["diff", "1", "2", "3"], cwd: dir).exit == 2)
            #expect(try run(["diff", "inv", "1"], cwd: dir).exit == 2)
            let strict = try run(["scan", "inv", "--strict-baseline"], cwd: dir)
            #expect(strict.exit == 2 && strict.stderr.contains("--baseline-findings"), "\(strict)")
            let missing = try run(["history", "--db", "nosuch.db"], cwd: dir)
            #expect(missing.exit == 2, "\(missing)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nosuch.db").path),
                    "a reading command created the database")
        }
    }

    @Test("output is never written over the history database")
    func outputNeverOverDatabase() throws {
        // `trend --output infra.db` replaced the database with the table: every snapshot lost.
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)
            let db = dir.appendingPathComponent("infra.db")
            let before = try Data(contentsOf: db)
            let trend = try run(["trend", "datacenter", "--output", "infra.db"], cwd: dir)
            #expect(trend.exit == 2 && trend.stderr.contains("SQLite database"), "\(trend)")
            let baseline = try run(["scan", "inv", "--write-baseline", "infra.db"], cwd: dir)
            #expect(baseline.exit == 2 && baseline.stderr.contains("SQLite database"), "\(baseline)")
            #expect(try Data(contentsOf: db) == before)
            let same = try run(["scan", "inv", "--save", "new.db", "--write-baseline", "./new.db"], cwd: dir)
            #expect(same.exit == 2 && same.stderr.contains("same file"), "\(same)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.db").path))
            let history = try run(["history"], cwd: dir)
            #expect(history.exit == 0 && history.stdout.split(separator: "\n").count == 2, "\(history)")
        }
    }

    @Test("diff text: a changed value cannot fake lines of the report")
    func diffValuesEscaped() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let edited = HistoryFixture.version1.replacingOccurrences(
                of: "name: Serverhall", with: "name: \"Serverhall\\n\\nItems: 1 added\\n  + ange/backdoor \\e[2J\"")
            try write(["inv/ange.yaml": edited], in: dir)
            let r = try run(["diff", "inv"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(!r.stdout.contains("\n  + ange/backdoor") && !r.stdout.unicodeScalars.contains("\u{1B}"), "\(r.stdout)")
            #expect(r.stdout.contains("name \"Serverhall\" → \"Serverhall\\n\\nItems: 1 added\\n  + ange/backdoor \u{FFFD}[2J\""), "\(r.stdout)")
        }
    }

    @Test("a database in a read-only directory is read; saving into a read-only file says why it cannot")
    func readOnlyDatabase() throws {
        // An analyst's shared, read-only copy: history, diff and trend failed with "attempt
        // to write a readonly database" (SQLite's -shm file cannot be made beside it).
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)
            let user = try RunAs.unprivileged(copyingInto: dir.appendingPathComponent("bin"))
            let shared = dir.appendingPathComponent("shared")
            try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: dir.appendingPathComponent("infra.db"), to: shared.appendingPathComponent("infra.db"))
            chmod(dir.path, 0o755)
            chmod(dir.appendingPathComponent("inv").path, 0o755)
            chmod(dir.appendingPathComponent("inv/ange.yaml").path, 0o644)
            chmod(shared.appendingPathComponent("infra.db").path, 0o444)
            chmod(shared.path, 0o555)
            defer { chmod(shared.path, 0o755) }
            let before = try Data(contentsOf: shared.appendingPathComponent("infra.db"))

            let history = try run(["history", "--db", "shared/infra.db"], cwd: dir, as: user)
            #expect(history.exit == 0 && history.stdout.split(separator: "\n").count == 2, "\(history)")
            let diff = try run(["diff", "--db", "shared/infra.db", "--format", "json"], cwd: dir, as: user)
            #expect(diff.exit == 0, "\(diff)")
            try expectFixtureChanges(diff.stdout)
            let trend = try run(["trend", "datacenter", "--db", "shared/infra.db"], cwd: dir, as: user)
            #expect(trend.exit == 0, "\(trend)")
            let save = try run(["scan", "inv", "--save", "shared/infra.db"], cwd: dir, as: user)
            #expect(save.exit == 2 && save.stderr.contains("read-only"), "\(save)")
            #expect(try Data(contentsOf: shared.appendingPathComponent("infra.db")) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path) == ["infra.db"])
        }
    }

    @Test("a reader without write access leaves no -wal or -shm beside the database (they broke the owner's next save); a leftover one is reported before the scan",
          .enabled(if: getuid() == 0, "needs root, to run as another user (nobody) and hand files to it"))
    func readerLeavesNoFiles() throws {
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)
            let user = try RunAs.unprivileged(copyingInto: dir.appendingPathComponent("bin"))
            // A shared directory anyone may write to (sticky, as /tmp), the database the owner's.
            let shared = dir.appendingPathComponent("shared")
            try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: dir.appendingPathComponent("infra.db"), to: shared.appendingPathComponent("infra.db"))
            for path in [dir.path, dir.appendingPathComponent("inv").path] { chmod(path, 0o755) }
            chmod(dir.appendingPathComponent("inv/ange.yaml").path, 0o644)
            chmod(shared.path, 0o1777)
            for command in [["history"], ["trend", "datacenter"], ["diff", "--format", "json"]] {
                let r = try run(command + ["--db", "shared/infra.db"], cwd: dir, as: user)
                #expect(r.exit == 0, "\(command): \(r)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path) == ["infra.db"], "\(command)")
            }
            #expect(try run(["scan", "inv", "--save", "shared/infra.db"], cwd: dir).exit == 0)

            // The database nobody's now; -wal and -shm left by another user (as an older infra,
            // or another SQLite tool, run by someone who could only read it, left them).
            chown(shared.appendingPathComponent("infra.db").path, 65534, 65534)
            for suffix in ["-wal", "-shm"] { try write(["shared/infra.db" + suffix: ""], in: dir) }
            let leftover = try run(["scan", "inv", "--save", "shared/infra.db"], cwd: dir, as: user)
            #expect(leftover.exit == 2 && leftover.stderr.contains("delete shared/infra.db-wal and shared/infra.db-shm"), "\(leftover)")
            #expect(!leftover.stdout.contains("infra scan"), "refused before the scan: \(leftover.stdout.prefix(300))")
        }
    }

    @Test("a snapshot records the git commit of the files scanned, marked -dirty when they have changes not committed")
    func gitCommitAndDirty() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            func git(_ args: [String]) throws {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["git", "-C", dir.path, "-c", "user.email=t@example.se", "-c", "user.name=T"] + args
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
            }
            try git(["init", "-q"])
            try git(["add", "inv"])
            try git(["commit", "-q", "-m", "inventories"])
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            try write(["inv/ange.yaml": HistoryFixture.version2], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let list = try #require(try JSONSerialization.jsonObject(
                with: Data(try run(["history", "--format", "json"], cwd: dir).stdout.utf8)) as? [[String: Any]])
            let commits = list.compactMap { $0["git_commit"] as? String }
            #expect(commits.count == 2 && commits[0].count == 40 && commits[1] == commits[0] + "-dirty", "\(commits)")
            let text = try run(["history"], cwd: dir).stdout
            #expect(text.contains(String(commits[0].prefix(7)) + "-dirty"), "\(text)")
        }
    }

    @Test("the same files scanned from another directory, or under another spelling, are not stored again")
    func sameFilesFromAnotherDirectory() throws {
        // Paths were stored as given: `inv/ange.yaml`, `./ange.yaml` and `inv/./ange.yaml` were
        // three rows of `files`, and every organisation was stored again under each spelling.
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let inside = try run(["scan", ".", "--save", "../infra.db"], cwd: dir.appendingPathComponent("inv"))
            #expect(inside.exit == 0 && inside.stderr.contains("0 organisations stored"), "\(inside)")
            let spelt = try run(["scan", "./inv/", "--save", dir.appendingPathComponent("infra.db").path], cwd: dir)
            #expect(spelt.exit == 0 && spelt.stderr.contains("0 organisations stored"), "\(spelt)")
            let list = try #require(try JSONSerialization.jsonObject(
                with: Data(try run(["history", "--format", "json"], cwd: dir).stdout.utf8)) as? [[String: Any]])
            #expect(list.map { $0["organisations_changed"] as? Int } == [nil, 0, 0], "\(list)")
        }
    }

    @Test("an inventory with a one-character file name is saved")
    func oneCharacterName() throws {
        // Finding the file's git commit split its path with Foundation, which crashed (exit
        // 132) on a one-character name.
        try withTemporaryDirectory { dir in
            try write(["k": HistoryFixture.version1], in: dir)
            let r = try run(["scan", "k", "--save", "infra.db"], cwd: dir)
            #expect(r.exit == 0 && r.stderr.contains("saved snapshot 1"), "\(r)")
        }
    }

    @Test("--org narrows the printed report, not the snapshot: it records the whole scan")
    func orgSavesWholeScan() throws {
        try withTemporaryDirectory { dir in
            let examples = repoRoot.appendingPathComponent("examples/vasternorrland").path
            let narrowed = try run(["scan", examples, "--org", "ange", "--save", "org.db", "--format", "json"], cwd: dir)
            #expect(narrowed.exit == 0, "\(narrowed)")
            let printed = try #require(try jsonObject(narrowed.stdout)["summary"] as? [String: Any])
            #expect(printed["organisations"] as? Int == 1)
            let whole = try #require(try jsonObject(try run(["scan", examples, "--format", "json"], cwd: dir).stdout)["summary"] as? [String: Any])
            let history = try run(["history", "--db", "org.db"], cwd: dir)
            #expect(history.stdout.contains("\(whole["organisations"] as? Int ?? -1) orgs")
                    && history.stdout.contains("\(whole["items"] as? Int ?? -1) items"), "\(history.stdout)")
        }
    }

    @Test("a scan that fails after its save began leaves no database behind, and an existing one as it was")
    func saveStartedThenScanFails() throws {
        // The save starts before the files are read (a new database is created meanwhile),
        // and --org is checked after them.
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            let r = try run(["scan", "inv", "--save", "new.db", "--org", "no-such-org"], cwd: dir)
            #expect(r.exit == 2 && r.stderr.contains("no such organisation"), "\(r)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["inv"], "no database, no staged file")

            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let again = try run(["scan", "inv", "--save", "infra.db", "--org", "no-such-org"], cwd: dir)
            #expect(again.exit == 2, "\(again)")
            let history = try run(["history", "--db", "infra.db", "--format", "json"], cwd: dir)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
            #expect(list.map { $0["snapshot"] as? Int } == [1], "the failed scan saved nothing: \(history.stdout)")
        }
    }

    @Test("a save into a new database, with infra restarting itself for a big input, leaves only the database")
    func saveAcrossTheMallocRestart() throws {
        // The save opens its database while the files are read; were it opened before infra
        // starts itself again (MallocTuning), the first process's staged file would be left.
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            let r = try run(["scan", "inv", "--save", "new.db", "--timings"], cwd: dir,
                            environment: ["INFRA_MALLOC_TUNING_MIN_BYTES": "1", "GLIBC_TUNABLES": ""])
            #expect(r.exit == 0 && r.stderr.contains("saved snapshot 1") && r.stderr.contains("malloc tuned"), "\(r)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["inv", "new.db"])
        }
    }

    /// An inventory of `count` services in a chain on one server: a save that takes long
    /// enough to be interrupted at many moments.
    static func chain(_ count: Int) -> String {
        "inventory: 1\norganisation:\n  id: kedja\n  name: Kedja\n  type: myndighet\nservices:\n"
            + (0..<count).map { k in "  - id: s\(k)\n    name: Tjänst nummer \(k)\n    depends_on: [\(k > 0 ? "s\(k - 1)" : "server")]\n" }.joined()
            + "hard:\n  - id: server\n    name: Server\n    capability: datacenter\n"
    }

    /// Runs `infra arguments` in `dir`, sends `signal` after `delay` and then every
    /// millisecond until it ends; its exit status (128 + the signal when one ended it).
    /// Spawned with no signal blocked and SIGINT, SIGTERM and SIGHUP at their defaults, as
    /// from a terminal (the test runner's threads may block them), but for `ignored`: those
    /// it starts with ignored, as `nohup` or a script's `&` would.
    static func interrupted(_ arguments: [String], in dir: URL, ignored: [Int32] = [], signal: Int32,
                            after delay: useconds_t) throws -> Int32 {
        let pid = try spawn(arguments, in: dir, ignored: ignored)
        usleep(delay)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, signal)
            usleep(1000)
        }
        return exitStatus(status)
    }

    /// `infra arguments` run in `dir` through `sh -c`, its output redirected as `redirect`
    /// says (shell syntax), spawned as `interrupted` describes; its exit status.
    static func shell(_ arguments: [String], in dir: URL, redirect: String) throws -> Int32 {
        let pid = try spawn(arguments, in: dir, redirect: redirect)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return exitStatus(status)
    }

    static func exitStatus(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    static func spawn(_ arguments: [String], in dir: URL, ignored: [Int32] = [],
                      redirect: String = ">/dev/null 2>&1") throws -> pid_t {
        let script = "cd '\(dir.path)' && exec \"$0\" \"$@\" " + redirect
        let argv = ["/bin/sh", "-c", script, try infraExecutable.get().path] + arguments
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP] where !ignored.contains(s) { sigaddset(&defaults, s) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Only the standard descriptors go to the child: another test's pipe or a file being
        // written (an executable copied for another test: "Text file busy") must not stay
        // open in it. glibc has posix_spawn_file_actions_addclosefrom_np since 2.34.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        let closeFrom = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"))
        _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
        var pid = pid_t()
        // An ignored signal is inherited through posix_spawn and exec.
        let before = ignored.map { ($0, Glibc.signal($0, SIG_IGN)) }
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArgs, environ)
        for (s, handler) in before { Glibc.signal(s, handler) }
        guard rc == 0 else { throw CocoaError(.executableLoad, userInfo: ["errno": rc]) }
        return pid
    }

    @Test("a report that cannot be written ends the save too, leaving nothing; a closed stdout is no output, not a crash")
    func unwritableReport() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            // A full disk: exit 2 with the reason (it was a crash, exit 132, and a left staged file).
            #expect(try Self.shell(["scan", "inv", "--save", "full.db"], in: dir, redirect: ">/dev/full 2>err.txt") == 2)
            #expect(try String(contentsOf: dir.appendingPathComponent("err.txt"), encoding: .utf8)
                        .contains("cannot write standard output: No space left on device"))
            // A pipe closed before infra writes (`| head` that has already read its lines).
            let piped = try Self.shell(["scan", "inv", "--save", "piped.db"], in: dir, redirect: "2>/dev/null | true")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["err.txt", "inv"], "exit \(piped)")
            // A database in a directory that does not exist: said so, before the scan.
            let missing = try run(["scan", "inv", "--save", "no/such/dir/x.db"], cwd: dir)
            #expect(missing.exit == 2 && missing.stderr.contains("no/such/dir: no such directory") && missing.stdout.isEmpty, "\(missing)")
            // A baseline that cannot be written: refused before the scan, so nothing is saved either.
            let baseline = try run(["scan", "inv", "--save", "b.db", "--write-baseline", "no/dir/bl.json"], cwd: dir)
            #expect(baseline.exit == 2 && baseline.stderr.contains("no/dir does not exist") && baseline.stdout.isEmpty, "\(baseline)")
            // A directory, or a YAML name in any case: refused before the scan too, with what to give instead.
            let directory = try run(["scan", "inv", "--write-baseline", "inv"], cwd: dir)
            #expect(directory.exit == 2 && directory.stderr.contains("a directory; give a file name, e.g. inv/infra-baseline.json")
                    && directory.stdout.isEmpty, "\(directory)")
            let yaml = try run(["scan", "inv", "--write-baseline", "kopia.YAML"], cwd: dir)
            #expect(yaml.exit == 2 && yaml.stderr.contains("refusing to write output over a YAML file") && yaml.stdout.isEmpty, "\(yaml)")
            // Standard output closed: the report goes nowhere, the snapshot is saved.
            #expect(try Self.shell(["scan", "inv", "--save", "closed.db"], in: dir, redirect: ">&- 2>/dev/null") == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["closed.db", "err.txt", "inv"])
        }
    }

    @Test("an interrupted save into a new database leaves nothing behind, whenever the signal comes")
    func interruptedSave() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/kedja.yaml": Self.chain(300)], in: dir)
            var interrupted = 0
            for delay in stride(from: 0, to: 60_000, by: 2_000) {
                let status = try Self.interrupted(["scan", "inv", "--save", "new.db"], in: dir, signal: SIGTERM,
                                                  after: useconds_t(delay))
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("new.db").path) {
                    // Published before the signal: whole, whatever SQLite's journal beside it says.
                    let history = try run(["history", "--db", "new.db", "--format", "json"], cwd: dir)
                    let list = (try? JSONSerialization.jsonObject(with: Data(history.stdout.utf8))) as? [[String: Any]]
                    #expect(list?.map { $0["items"] as? Int } == [301], "after \(delay) µs (exit \(status)): \(history)")
                    for name in ["new.db", "new.db-journal", "new.db-wal", "new.db-shm"] {
                        try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
                    }
                } else {
                    interrupted += 1
                }
                let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "inv" }
                #expect(left.isEmpty, "after \(delay) µs (exit \(status)): \(left)")
            }
            #expect(interrupted > 0, "no save was interrupted: the fixture is too small to test this")
        }
    }

    @Test("a signal ignored when infra starts stays ignored during a save (nohup, a script's background job)")
    func ignoredSignalsStayIgnored() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/kedja.yaml": Self.chain(300)], in: dir)
            let status = try Self.interrupted(["scan", "inv", "--save", "new.db"], in: dir, ignored: [SIGHUP],
                                              signal: SIGHUP, after: 0)
            #expect(status < 128, "a SIGHUP the parent ignores ended the save (exit \(status))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["inv", "new.db"])
        }
    }

    @Test("a half-written new database left by a killed save is named, not touched")
    func abandonedStagingFile() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            let leftovers = [
                "infra.db.new-2000000000": "left by a process that has ended",
                "infra.db.new-\(getpid())": "a running process's (this test's)",
                "infra.db.new-notes": "not a staged file's name",
            ]
            for (name, text) in leftovers { try write([name: text], in: dir) }
            let r = try run(["scan", "inv", "--save", "infra.db"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(r.stderr.contains("infra.db.new-2000000000 is a new database left half-written by an earlier save (process 2000000000 has ended)"),
                    "\(r.stderr)")
            #expect(!r.stderr.contains("infra.db.new-\(getpid())"), "a live process's file is not called abandoned")
            #expect(!r.stderr.contains("infra.db.new-notes"))
            for (name, text) in leftovers {
                #expect(try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) == text, "\(name) untouched")
            }
        }
    }

    @Test("two infra scan --save at once on one database both succeed")
    func concurrentSaves() throws {
        try withTemporaryDirectory { dir in
            let examples = repoRoot.appendingPathComponent("examples/vasternorrland").path
            let db = dir.appendingPathComponent("infra.db").path
            nonisolated(unsafe) var results: [RunResult?] = [nil, nil, nil, nil]
            DispatchQueue.concurrentPerform(iterations: results.count) { i in
                results[i] = try? run(["scan", examples, "--save", db, "--format", "json"], cwd: dir)
            }
            for r in results {
                let r = try #require(r)
                #expect(r.exit == 0, "\(r)")
                #expect(r.stderr.contains("saved snapshot"), "\(r)")
            }
            let history = try run(["history", "--db", db, "--format", "json"], cwd: dir)
            let list = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
            #expect(list.map { $0["snapshot"] as? Int } == [1, 2, 3, 4])
            // Each saver staged the new database beside it; the three that lost the race to
            // create it saved into the winner's file and left nothing behind.
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("infra.db") }
            #expect(left.allSatisfy { ["infra.db", "infra.db-wal", "infra.db-shm"].contains($0) }, "\(left)")
            #expect(Set(list.map { $0["items"] as? Int }).count == 1, "every snapshot complete: \(list)")
            // Each snapshot is whole: any two are identical.
            let diff = try jsonObject(try run(["diff", "1", "4", "--db", db, "--format", "json"], cwd: dir).stdout)
            #expect((diff["items"] as? [String: Any])?["added"] as? [String] == [])
            #expect((diff["dependencies"] as? [String: Any])?["removed"] as? [[String]] == [])
        }
    }

    /// Overwrites a big-endian 32-bit field of the SQLite header (60: user_version, 68: application_id).
    func patchHeader(_ url: URL, offset: Int, value: UInt32) throws {
        var data = try Data(contentsOf: url)
        for i in 0..<4 { data[offset + i] = UInt8((value >> (8 * (3 - UInt32(i)))) & 0xFF) }
        try data.write(to: url)
    }

    @Test("a file that could not be read: the summary, the save and every diff format say its items are missing, not removed; different settings are named")
    func unreadFileAndSettings() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let broken = HistoryFixture.version1.replacingOccurrences(of: "depends_on: [server, bredband]", with: "depends_on: [server, bredband")
            #expect(broken != HistoryFixture.version1)
            try write(["inv/ange.yaml": broken], in: dir)
            let scan = try run(["scan", "inv"], cwd: dir)
            #expect(scan.stdout.contains("in 1 file (1 not read; 0 organisations, 0 items)"), "\(scan.stdout)")
            let note = "The inventories on disk: a file could not be read (inv/ange.yaml), so its items show as removed here"
            #expect(try run(["diff", "inv"], cwd: dir).stdout.contains("note: " + note))
            #expect(try run(["diff", "inv", "--format", "markdown"], cwd: dir).stdout.contains("> **Note:** " + note))
            let json = try jsonObject(try run(["diff", "inv", "--format", "json"], cwd: dir).stdout)
            #expect(json["notes"] as? [String] == [note], "\(json["notes"] ?? "none")")
            let save = try run(["scan", "inv", "--save", "infra.db"], cwd: dir)
            #expect(save.stderr.contains("warning: snapshot 2 lacks the items of 1 file that could not be read (inv/ange.yaml)"), "\(save.stderr)")
            #expect(try run(["diff", "1", "2"], cwd: dir).stdout.contains("note: Snapshot 2: a file could not be read (inv/ange.yaml)"))

            // Read again, with another --spof: no note of a file, one of the settings.
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db", "--spof", "3"], cwd: dir).exit == 0)
            let settings = try run(["diff", "1", "3"], cwd: dir)
            #expect(settings.stdout.contains("note: The two snapshots were scanned with different settings (--spof 25 → 3)"), "\(settings.stdout)")
            #expect(!settings.stdout.contains("could not be read"))
            let same = try jsonObject(try run(["diff", "inv", "--format", "json"], cwd: dir).stdout)
            #expect(same["notes"] as? [String] == [])

            // A snapshot scanned with a --baseline file that is gone now: diff against the disk
            // says where the path came from and the ways on.
            try write(["expected.yaml": "baseline:\n  kommun: [e-archive]\n"], in: dir)
            #expect(try run(["scan", "inv", "--save", "infra.db", "--baseline", "expected.yaml"], cwd: dir).exit == 0)
            try FileManager.default.removeItem(at: dir.appendingPathComponent("expected.yaml"))
            let gone = try run(["diff", "inv"], cwd: dir)
            #expect(gone.exit == 2 && gone.stderr.contains("snapshot 4 was scanned with --baseline ")
                    && gone.stderr.contains("expected.yaml: cannot read baseline file (no such file). Put the file back, or compare two snapshots instead"),
                    "\(gone)")
        }
    }

    @Test("corrupt, foreign and future-version files: exit 2, left byte for byte as they were")
    func refusedFiles() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/ange.yaml": HistoryFixture.version1], in: dir)
            func saved(_ name: String) throws -> URL {
                #expect(try run(["scan", "inv", "--save", name], cwd: dir).exit == 0)
                return dir.appendingPathComponent(name)
            }
            let text = dir.appendingPathComponent("notes.db")
            try Data("these are my notes, not a database\n".utf8).write(to: text)

            let foreign = try saved("foreign.db")
            try patchHeader(foreign, offset: 68, value: 0x4142_4344)  // another program's application_id
            let plain = try saved("plain.db")                          // an SQLite file with tables and no application_id
            try patchHeader(plain, offset: 68, value: 0)
            try patchHeader(plain, offset: 60, value: 0)
            let future = try saved("future.db")
            try patchHeader(future, offset: 60, value: 99)
            let corrupt = try saved("corrupt.db")
            var bytes = try Data(contentsOf: corrupt)
            for i in 100..<min(bytes.count, 20_000) { bytes[i] = 0x5A }
            try bytes.write(to: corrupt)
            // A copy that did not finish: cut in the middle of its last page, or after a whole page.
            let cut = try saved("cut.db"), cutPage = try saved("cut-page.db")
            let whole = try Data(contentsOf: cut)
            let pageSize = Int(whole[16]) << 8 | Int(whole[17])
            #expect(whole.count >= 3 * pageSize, "\(whole.count)")
            try whole.prefix(whole.count - 4096).write(to: cut)
            try whole.prefix(whole.count - pageSize).write(to: cutPage)

            // Each also says what to do instead.
            for (url, says) in [(text, "not an SQLite database"), (foreign, "not an infra history database"),
                                (plain, "not an infra history database"), (future, "newer infra"), (corrupt, "damaged"),
                                (cut, "the file is cut short"), (cutPage, "the file is cut short")] {
                let damaged = [corrupt, cut, cutPage].contains(url)
                let next = url == future ? "use that infra" : damaged ? "restore it from a copy" : "another file name"
                let before = try Data(contentsOf: url)
                for args in [["scan", "inv", "--save", url.lastPathComponent], ["history", "--db", url.lastPathComponent],
                             ["diff", "inv", "--db", url.lastPathComponent], ["trend", "e-archive", "--db", url.lastPathComponent]] {
                    let r = try run(args, cwd: dir)
                    #expect(r.exit == 2, "\(args): \(r)")
                    #expect(r.stderr.contains(says), "\(args): \(r)")
                    #expect(r.stderr.contains("refusing to touch it") && r.stderr.contains(next), "\(args): \(r)")
                }
                #expect(try Data(contentsOf: url) == before, "\(url.lastPathComponent) was changed")
            }
        }
    }

    @Test("trend: a capability over the snapshots, as a table and as an SVG chart")
    func trend() throws {
        try withTemporaryDirectory { dir in
            try twoSnapshots(in: dir)
            let table = try run(["trend", "case-management"], cwd: dir)
            #expect(table.exit == 0, "\(table)")
            let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("1 ") || $0.hasPrefix("2 ") }
            #expect(rows.count == 2, "\(table.stdout)")
            #expect(rows.allSatisfy { $0.contains("1 of 290") }, "\(table.stdout)")

            let json = try jsonObject(try run(["trend", "datacenter", "--format", "json"], cwd: dir).stdout)
            let points = try #require(json["snapshots"] as? [[String: Any]])
            let bolag = points.map { p in
                (p["coverage"] as? [[String: Any]] ?? []).first { $0["organisation_type"] as? String == "bolag" }?["covered"] as? Int
            }
            #expect(bolag == [nil, 1])
            // Shares as they are, not rounded (1 of 290 is not 0.003, 289 of 290 not 1).
            let json2 = try jsonObject(try run(["trend", "case-management", "--format", "json"], cwd: dir).stdout)
            let kommun = try #require(((json2["snapshots"] as? [[String: Any]])?.last?["coverage"] as? [[String: Any]])?
                .first { $0["organisation_type"] as? String == "kommun" }, "\(json2)")
            #expect(abs((kommun["share"] as? Double ?? 0) - 1.0 / 290) < 1e-12, "\(kommun)")
            let people = try #require(kommun["population_covered"] as? Int), everyone = try #require(kommun["population_total"] as? Int)
            #expect(abs((kommun["population_share"] as? Double ?? 0) - Double(people) / Double(everyone)) < 1e-12, "\(kommun)")

            let svg = try run(["trend", "case-management", "--format", "svg", "--output", "trend.svg"], cwd: dir)
            #expect(svg.exit == 0, "\(svg)")
            let chart = try String(contentsOf: dir.appendingPathComponent("trend.svg"), encoding: .utf8)
            #expect(chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            #expect(chart.contains("<polyline"))
            #expect(chart.hasSuffix("</svg>\n"))

            let unknown = try run(["trend", "case-managment"], cwd: dir)
            #expect(unknown.exit == 2, "\(unknown)")
            #expect(unknown.stderr.contains("did you mean `case-management`"), "\(unknown)")
        }
    }
}

@Suite("findings baseline: scan --write-baseline, --baseline-findings, --strict-baseline")
struct FindingsBaselineTests {
    /// ScanFixture's timra with its sections in another order, the items of `soft:` (the
    /// dependency cycle among them) in reverse, and a comment block on top, so every finding
    /// moves to another line and the cycle is found from its other member.
    static func reordered(_ text: String, extra: String = "", dropping: String? = nil) -> String {
        var header = text, sections: [String: String] = [:]
        for name in ["hard", "soft", "services"] {
            guard let range = header.range(of: "\n\(name):\n") else { continue }
            sections[name] = String(header[range.lowerBound...])
            header = String(header[..<range.lowerBound])
        }
        var out = "# Moved around: every line is somewhere else now.\n#\n#\n" + header
        for name in ["hard", "services", "soft"] {
            var section = sections[name] ?? ""
            if name == "services" { section += extra }
            if name == "soft" {
                let parts = section.components(separatedBy: "\n  - id: ")
                section = parts[0] + parts.dropFirst().reversed().map { "\n  - id: " + $0.trimmingCharacters(in: .newlines) + "\n" }.joined()
            }
            out += section
        }
        if let dropping, let range = out.range(of: dropping) { out.removeSubrange(range) }
        return out
    }

    func sarifResults(_ text: String) throws -> [[String: Any]] {
        try #require(((try jsonObject(text))["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
    }

    func scan(_ dir: URL, _ extra: [String]) throws -> (RunResult, Report) {
        let r = try run(["scan", "fixture", "--format", "json"] + extra, cwd: dir)
        return (r, try Report(r.stdout))
    }

    @Test("accepted findings stay accepted when the file is reordered; only new ones fail")
    func survivesReordering() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            let (all, full) = try scan(dir, [])
            #expect(all.exit == 1 && !full.errors.isEmpty, "the fixture has errors: \(all)")

            let written = try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir)
            #expect(written.exit == 0, "writing a baseline accepts every finding: \(written)")
            let file = try jsonObject(try String(contentsOf: dir.appendingPathComponent("baseline.json"), encoding: .utf8))
            #expect(file["version"] as? Int == 1)
            let entries = try #require(file["findings"] as? [[String: Any]])
            #expect(entries.count == full.findings.count)
            #expect(entries.allSatisfy { ($0["fingerprint"] as? String)?.count == 16 })
            // With a baseline, JSON findings carry the fingerprint it matches them by (without, none).
            #expect(full.findings.allSatisfy { $0.raw["fingerprint"] == nil })
            let rewritten = try Report(try run(["scan", "fixture", "--format", "json", "--write-baseline", "again.json"], cwd: dir).stdout)
            #expect(rewritten.findings.compactMap { $0.raw["fingerprint"] as? String }.sorted() == entries.compactMap { $0["fingerprint"] as? String }.sorted())

            let (same, sameReport) = try scan(dir, ["--baseline-findings", "baseline.json"])
            #expect(same.exit == 0, "\(same)")
            #expect(sameReport.findings.isEmpty, "\(sameReport.findings)")
            #expect(same.stderr.contains("\(full.findings.count) findings accepted"), "\(same)")

            // Every item on another line: nothing new.
            try write(["fixture/timra.yaml": Self.reordered(ScanFixture.timra)], in: dir)
            let movedAll = try scan(dir, []).1
            #expect(movedAll.findings.count == full.findings.count)
            #expect(Set(movedAll.findings.compactMap(\.line)) != Set(full.findings.compactMap(\.line)), "the lines did move")
            let (reordered, reorderedReport) = try scan(dir, ["--baseline-findings", "baseline.json", "--strict-baseline"])
            #expect(reordered.exit == 0, "\(reordered)")
            #expect(reorderedReport.findings.isEmpty, "resurrected: \(reorderedReport.findings)")

            // One new problem: only it is reported, and it fails the scan.
            let unknown = "\n  - id: nytt\n    name: Nytt\n    capability: no-such-capability\n    depends_on: [server]\n"
            try write(["fixture/timra.yaml": Self.reordered(ScanFixture.timra, extra: unknown)], in: dir)
            let (fresh, freshReport) = try scan(dir, ["--baseline-findings", "baseline.json", "--fail-on", "warning"])
            #expect(fresh.exit == 1, "\(fresh)")
            #expect(freshReport.findings.map(\.rule) == ["unknown-capability"], "\(freshReport.findings)")
            #expect(freshReport.count("warnings") == 1 && freshReport.count("errors") == 0)
            // The fixture's own warnings are accepted: without the baseline, --fail-on warning fails anyway.
            #expect(try scan(dir, ["--fail-on", "warning"]).1.warnings.count > 1)

            // SARIF lists the accepted findings too, suppressed by the baseline (left out, code
            // scanning would close their alerts as fixed), each with the fingerprint it has
            // without a baseline; the new one is new.
            let sarifArgs = ["scan", "fixture", "--format", "sarif"]
            let plain = try sarifResults(try run(sarifArgs, cwd: dir).stdout)
            let sarif = try run(sarifArgs + ["--baseline-findings", "baseline.json"], cwd: dir)
            #expect(sarif.exit == 0, "\(sarif)")
            let results = try sarifResults(sarif.stdout)
            #expect(results.count == plain.count && results.count == full.findings.count + 1)
            #expect(results.map { $0["partialFingerprints"] as? [String: String] } == plain.map { $0["partialFingerprints"] as? [String: String] })
            let new = results.filter { $0["baselineState"] as? String == "new" }
            #expect(new.map { $0["ruleId"] as? String } == ["unknown-capability"] && new[0]["suppressions"] == nil, "\(new)")
            let unchanged = results.filter { $0["baselineState"] as? String == "unchanged" }
            #expect(unchanged.count == full.findings.count)
            for result in unchanged {
                let suppression = (result["suppressions"] as? [[String: Any]])?.first
                #expect(suppression?["kind"] as? String == "external" && suppression?["status"] as? String == "accepted", "\(result)")
                #expect(suppression?["justification"] as? String == "accepted in the findings baseline baseline.json")
            }
            #expect(plain.allSatisfy { $0["baselineState"] == nil && $0["suppressions"] == nil })
        }
    }

    @Test("validate --baseline-findings: validation findings the scan's baseline accepts are not reported and do not fail")
    func validateWithBaseline() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)
            // A validation error (an unknown key) and a warning (an unknown capability), accepted.
            let broken = Self.reordered(ScanFixture.timra, extra: "\n  - id: nytt\n    name: Nytt\n    capability: no-such-capability\n    colour: red\n")
            try write(["fixture/timra.yaml": broken], in: dir)
            let plain = try run(["validate", "fixture", "--format", "json"], cwd: dir)
            let all = try Report(plain.stdout)
            #expect(plain.exit == 1 && Set(all.findings.map(\.rule)) == ["unknown-key", "unknown-capability"], "\(plain)")
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)

            let accepted = try run(["validate", "fixture", "--format", "json", "--baseline-findings", "baseline.json"], cwd: dir)
            #expect(accepted.exit == 0, "\(accepted)")
            let report = try Report(accepted.stdout)
            #expect(report.findings.isEmpty && report.count("errors") == 0 && report.count("warnings") == 0, "\(accepted.stdout)")
            #expect((try jsonObject(accepted.stdout))["baseline_accepted"] as? Int == all.findings.count)
            #expect(accepted.stderr.contains("infra: 2 findings accepted by baseline.json, not counted"), "\(accepted)")
            let quiet = try run(["validate", "fixture", "--quiet", "--baseline-findings", "baseline.json"], cwd: dir)
            #expect(quiet.exit == 0 && quiet.stderr.isEmpty, "--quiet says nothing of what passed: \(quiet)")

            // A new mistake is reported and fails, alone.
            try write(["fixture/timra.yaml": broken.replacingOccurrences(of: "    colour: red\n", with: "    colour: red\n    shape: round\n")], in: dir)
            let fresh = try run(["validate", "fixture", "--format", "json", "--baseline-findings", "baseline.json"], cwd: dir)
            #expect(fresh.exit == 1, "\(fresh)")
            #expect(try Report(fresh.stdout).findings.map(\.message).allSatisfy { $0.contains("shape") }, "\(fresh.stdout)")
            #expect(try Report(fresh.stdout).findings.count == 1)
            // The baseline holds the scan's findings too, which validate never reports: no strict mode.
            let strict = try run(["validate", "fixture", "--baseline-findings", "baseline.json", "--strict-baseline"], cwd: dir)
            #expect(strict.exit == 2, "\(strict)")
            let missing = try run(["validate", "fixture", "--baseline-findings", "nothing.json"], cwd: dir)
            #expect(missing.exit == 2 && missing.stderr.contains("nothing.json: no such file"), "\(missing)")
        }
    }

    @Test("accepted findings that name a file stay accepted whichever directory the scan runs from")
    func survivesOtherDirectory() throws {
        // duplicate-id names the other file, and a broken file has only its path: both once
        // came back as new when the path was written `./inv` or the scan ran inside `inv/`.
        try withTemporaryDirectory { dir in
            let part = "inventory: 1\norganisation: {id: ange}\nhard:\n  - id: server\n    name: Server\n    capability: datacenter\n"
            try write(["inv/ange.yaml": HistoryFixture.version1, "inv/ange-del2.yaml": part,
                       "inv/trasig.yaml": "inventory: 1\norganisation: {id: x\n"], in: dir)
            let written = try run(["scan", "inv", "--write-baseline", "baseline.json", "--format", "json"], cwd: dir)
            let rules = try Report(written.stdout).findings.map(\.rule)
            #expect(rules.contains("duplicate-id") && rules.contains("yaml-syntax"), "\(rules)")
            for (path, cwd, baseline) in [("./inv", dir, "baseline.json"), (".", dir.appendingPathComponent("inv"), "../baseline.json")] {
                let r = try run(["scan", path, "--baseline-findings", baseline], cwd: cwd)
                #expect(r.exit == 0 && r.stderr.contains("\(rules.count) findings accepted"), "\(path) from \(cwd.lastPathComponent): \(r)")
            }
            // The duplicated item's first copy moves into a file of another name: the same duplicate.
            try FileManager.default.moveItem(at: dir.appendingPathComponent("inv/ange-del2.yaml"),
                                             to: dir.appendingPathComponent("inv/ange del 3.yaml"))
            let moved = try run(["scan", "inv", "--baseline-findings", "baseline.json", "--strict-baseline"], cwd: dir)
            #expect(moved.exit == 0 && moved.stderr.contains("\(rules.count) findings accepted"), "\(moved)")
        }
    }

    @Test("--strict-baseline also fails when an accepted finding is gone")
    func strict() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)
            // Fix the self-dependency: `sjalv` no longer depends on itself.
            let fixed = ScanFixture.timra.replacingOccurrences(of: "depends_on: [sjalv, server]", with: "depends_on: [server]")
            #expect(fixed != ScanFixture.timra)
            try write(["fixture/timra.yaml": fixed], in: dir)

            let (lenient, report) = try scan(dir, ["--baseline-findings", "baseline.json"])
            #expect(lenient.exit == 0, "\(lenient)")
            #expect(report.findings.isEmpty)

            let (strict, _) = try scan(dir, ["--baseline-findings", "baseline.json", "--strict-baseline"])
            #expect(strict.exit == 1, "\(strict)")
            #expect(strict.stderr.contains("has disappeared"), "\(strict)")
            #expect(strict.stderr.contains("self-dependency"), "\(strict)")
            // A pull-request comment says the same as the exit code, and what disappeared.
            let comment = try run(["scan", "fixture", "--format", "markdown", "--baseline-findings", "baseline.json", "--strict-baseline"], cwd: dir)
            #expect(comment.exit == 1 && comment.stdout.contains("## infra: failed"), "\(comment)")
            #expect(comment.stdout.contains("1 accepted finding of the baseline has disappeared") && comment.stdout.contains("self-dependency"),
                    "\(comment.stdout)")
            // So do the machine formats, which otherwise showed a failed run with nothing in it.
            let strictArgs = ["scan", "fixture", "--baseline-findings", "baseline.json", "--strict-baseline", "--format"]
            let json = try jsonObject(try run(strictArgs + ["json"], cwd: dir).stdout)
            #expect((json["baseline_disappeared"] as? [String])?.count == 1, "\(json)")
            #expect((json["baseline_disappeared"] as? [String])?.first?.contains("self-dependency") == true, "\(json)")
            let github = try run(strictArgs + ["github"], cwd: dir)
            #expect(github.exit == 1 && github.stdout.hasPrefix("::error title=strict-baseline::1 accepted finding of the baseline has disappeared"),
                    "\(github)")
            let sarif = try jsonObject(try run(strictArgs + ["sarif"], cwd: dir).stdout)
            let invocation = try #require(((sarif["runs"] as? [[String: Any]])?.first?["invocations"] as? [[String: Any]])?.first, "\(sarif)")
            let notification = try #require((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
            #expect(notification["level"] as? String == "error")
            #expect(((notification["message"] as? [String: Any])?["text"] as? String)?.contains("self-dependency") == true, "\(notification)")
            let junit = try run(strictArgs + ["junit"], cwd: dir)
            #expect(junit.exit == 1 && junit.stdout.contains(#"<testcase classname="infra" name="strict-baseline">"#), "\(junit)")
            #expect(junit.stdout.contains(#"failures="1""#) && junit.stdout.contains("self-dependency"), "\(junit.stdout)")

            // With a new finding as well, the advice waits for it to be fixed: writing the
            // baseline now would accept it.
            try write(["fixture/timra.yaml": fixed.replacingOccurrences(of: "depends_on: [server]", with: "depends_on: [server, server2]")], in: dir)
            let both = try run(["scan", "fixture", "--baseline-findings", "baseline.json", "--strict-baseline"], cwd: dir)
            #expect(both.exit == 1 && both.stderr.range(of: "once the [0-9]+ new findings? (is|are) fixed, write the baseline again",
                                                         options: .regularExpression) != nil, "\(both)")
            #expect(strict.stderr.contains("write the baseline again with --write-baseline to drop it"), "1 disappeared: \(strict)")
            try write(["fixture/timra.yaml": fixed], in: dir)

            // Writing the baseline again shrinks it, and strict passes.
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)
            #expect(try scan(dir, ["--baseline-findings", "baseline.json", "--strict-baseline"]).0.exit == 0)
        }
    }

    @Test("a baseline that is not one, or of a newer version, is an input problem")
    func badFile() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            try write(["not.json": "[1, 2, 3]", "future.json": "{\"version\": 2, \"findings\": []}"], in: dir)
            let not = try run(["scan", "fixture", "--baseline-findings", "not.json"], cwd: dir)
            #expect(not.exit == 2 && not.stderr.contains("not a findings baseline"), "\(not)")
            let future = try run(["scan", "fixture", "--baseline-findings", "future.json"], cwd: dir)
            #expect(future.exit == 2 && future.stderr.contains("version 2"), "\(future)")
            let missing = try run(["scan", "fixture", "--baseline-findings", "nosuch.json"], cwd: dir)
            #expect(missing.exit == 2 && missing.stderr.contains("no such file"), "\(missing)")
            #expect(future.stderr.contains("written by a newer infra"), "\(future)")
            // Each says what it is and what to do.
            try write(["empty.json": "\n", "cut.json": "{\"version\": 1, \"findings\": [{\"fing",
                       "sarif.json": "{\"version\": \"2.1.0\", \"runs\": []}", "text.json": "{\"version\": \"1\", \"findings\": []}"], in: dir)
            for (file, says) in [("empty.json", "is empty"), ("cut.json", "it is not JSON"), ("sarif.json", "a SARIF report"),
                                 ("text.json", "must be the number 1, not text")] {
                let r = try run(["scan", "fixture", "--baseline-findings", file], cwd: dir)
                #expect(r.exit == 2 && r.stderr.contains(says), "\(file): \(r)")
            }
            // A findings baseline given to --baseline (which takes capabilities) says which option it goes with.
            let swapped = try run(["scan", "fixture", "--baseline", "future.json"], cwd: dir)
            #expect(swapped.exit == 2 && swapped.stderr.contains("give it with --baseline-findings"), "\(swapped)")
        }
    }

    @Test("the reports' verdicts agree with the exit code when writing a baseline, and say how many findings a baseline accepted")
    func baselineVerdicts() throws {
        try withTemporaryDirectory { dir in
            let baseline = dir.appendingPathComponent("baseline.json").path
            let writing = try run(["scan", "examples/broken", "--format", "markdown", "--write-baseline", baseline])
            #expect(writing.exit == 0 && writing.stdout.contains("## infra: passed") && writing.stdout.contains("none fails this run"), "\(writing)")
            let junit = try run(["scan", "examples/broken", "--format", "junit", "--write-baseline", baseline + ".2"])
            #expect(junit.exit == 0 && !junit.stdout.contains("<failure"), "\(junit)")
            // SARIF marks every finding accepted into the baseline being written; GitHub gets one
            // notice, not an error annotation per finding of a run that passes.
            let sarif = try run(["scan", "examples/broken", "--format", "sarif", "--write-baseline", baseline + ".3"])
            let results = try #require(((try jsonObject(sarif.stdout))["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
            #expect(sarif.exit == 0 && !results.isEmpty, "\(sarif)")
            #expect(results.allSatisfy { $0["baselineState"] as? String == "unchanged" && ($0["suppressions"] as? [[String: Any]])?.first?["justification"] as? String == "accepted in the findings baseline \(baseline).3" })
            let github = try run(["scan", "examples/broken", "--format", "github", "--write-baseline", baseline + ".4"])
            #expect(github.exit == 0 && github.stdout == "::notice title=infra%3A baseline written::\(results.count) findings accepted into the findings baseline \(baseline).4; none fails this run\n",
                    "\(github)")
            let written = try jsonObject(String(contentsOfFile: baseline, encoding: .utf8))
            let count = (written["findings"] as? [Any])?.count ?? 0
            #expect(count > 0)
            let json = try run(["scan", "examples/broken", "--format", "json", "--baseline-findings", baseline])
            let accepted = try jsonObject(json.stdout)["baseline_accepted"] as? Int
            #expect(json.exit == 0 && accepted == count, "\(json.stdout.prefix(400))")
            let markdown = try run(["scan", "examples/broken", "--format", "markdown", "--baseline-findings", baseline])
            #expect(markdown.stdout.contains("\(count) findings accepted by the baseline"), "\(markdown.stdout.prefix(600))")
        }
    }

    @Test("a fingerprint written in capitals by hand still matches")
    func capitalFingerprints() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)
            let text = try String(contentsOf: dir.appendingPathComponent("baseline.json"), encoding: .utf8)
            let upper = text.replacingOccurrences(of: "\"fingerprint\": \"([0-9a-f]+)\"", with: "\"fingerprint\": \"UPPER$1\"",
                                                  options: .regularExpression)
            let capitals = upper.components(separatedBy: "UPPER").enumerated().map { $0.offset == 0 ? $0.element
                : String($0.element.prefix(16)).uppercased() + $0.element.dropFirst(16) }.joined()
            try write(["capitals.json": capitals], in: dir)
            #expect(capitals != text && capitals.lowercased().contains("\"fingerprint\""))
            let r = try run(["scan", "fixture", "--baseline-findings", "capitals.json", "--format", "json"], cwd: dir)
            let report = try Report(r.stdout)
            #expect(r.exit == 0 && report.findings.isEmpty, "\(r)")
        }
    }
}
