import Foundation
import Testing

/// A minimal full header for an organisation of type `annan` (no baseline).
func header(_ id: String, name: String = "Exempel", type: String = "annan") -> String {
    "inventory: 1\norganisation:\n  id: \(id)\n  name: \(name)\n  type: \(type)\n"
}

@Suite("exit codes and --fail-on")
struct ExitCodeTests {
    /// One warning (unknown capability), nothing else.
    let warningsOnly = header("varning") + """
        hard:
          - id: server
            name: Server
            capability: datacentre

        """

    @Test("a warnings-only inventory exits 0, and 1 with --fail-on warning")
    func failOnWarning() throws {
        try withTemporaryDirectory { dir in
            try write(["w.yaml": warningsOnly], in: dir)
            let plain = try run(["validate", "w.yaml", "--format", "json"], cwd: dir)
            #expect(plain.exit == 0, "\(plain)")
            let report = try Report(plain.stdout)
            #expect(report.count("errors") == 0)
            #expect(report.count("warnings") == 1)
            #expect(report.warnings.map(\.rule) == ["unknown-capability"])
            #expect(report.warnings.first?.line == 9)
            #expect(report.warnings.first?.message.contains("datacenter") == true, "no suggestion: \(report.warnings)")

            let failOn = try run(["validate", "w.yaml", "--fail-on", "warning"], cwd: dir)
            #expect(failOn.exit == 1, "\(failOn)")
            let failOnError = try run(["validate", "w.yaml", "--fail-on", "error"], cwd: dir)
            #expect(failOnError.exit == 0, "\(failOnError)")

            let scan = try run(["scan", "w.yaml"], cwd: dir)
            #expect(scan.exit == 0, "\(scan)")
            let scanFailOn = try run(["scan", "w.yaml", "--fail-on", "warning"], cwd: dir)
            #expect(scanFailOn.exit == 1, "\(scanFailOn)")
        }
    }

    @Test("the reports that give a verdict give the exit code's: Markdown, JUnit and --quiet count warnings under --fail-on warning")
    func verdictFollowsFailOn() throws {
        try withTemporaryDirectory { dir in
            try write(["w.yaml": warningsOnly], in: dir)
            for (failOn, exit, heading, failures) in [("error", Int32(0), "## infra: passed", "failures=\"0\""),
                                                      ("warning", 1, "## infra: failed", "failures=\"1\"")] {
                let markdown = try run(["scan", "w.yaml", "--format", "markdown", "--fail-on", failOn], cwd: dir)
                #expect(markdown.exit == exit && markdown.stdout.contains(heading), "\(failOn): \(markdown)")
                let junit = try run(["validate", "w.yaml", "--format", "junit", "--fail-on", failOn], cwd: dir)
                #expect(junit.exit == exit && junit.stdout.contains("<testsuites name=\"infra\" tests=\"1\" \(failures)"), "\(failOn): \(junit)")
                #expect(junit.stdout.contains("<failure message=") == (failOn == "warning"), "\(junit.stdout)")
                // --quiet prints what fails the run.
                let quiet = try run(["validate", "w.yaml", "--quiet", "--fail-on", failOn], cwd: dir)
                #expect(quiet.exit == exit && quiet.stdout.contains("[unknown-capability]") == (failOn == "warning"), "\(failOn): \(quiet)")
                // scan --quiet too, without the overview.
                let scanQuiet = try run(["scan", "w.yaml", "--quiet", "--fail-on", failOn], cwd: dir)
                #expect(scanQuiet.exit == exit && scanQuiet.stdout.contains("[unknown-capability]") == (failOn == "warning"), "\(failOn): \(scanQuiet)")
                #expect(!scanQuiet.stdout.contains("Baseline gaps") && scanQuiet.stdout.contains("0 errors"), "\(scanQuiet)")
            }
        }
    }

    static let usageProblems: [[String]] = [
        ["validate", "does/not/exist.yaml"],
        ["validate", "examples/vasternorrland", "--bogus-flag"],
        ["validate", "examples/vasternorrland", "--format", "nope"],
        ["validate", "examples/vasternorrland", "--fail-on", "nope"],
        ["scan", "does/not/exist"],
        ["scan", "examples/vasternorrland", "--bogus-flag"],
        ["scan", "examples/vasternorrland", "--format", "nope"],
        ["scan", "examples/vasternorrland", "--org", "nosuch"],
        ["scan", "examples/vasternorrland", "--baseline", "does/not/exist.yaml"],
        ["scan", "examples/vasternorrland", "--baseline-findings", "a.json", "--write-baseline", "b.json"],
        ["explain", "nosuch"],
        ["graph", "examples/vasternorrland", "--depth", "1"],
        ["graph", "examples/vasternorrland", "--org", "sundsvall", "--focus", "inera/siths"],
    ]

    @Test("an empty database name, a signed snapshot id, or the history given as a findings baseline is refused for what it is")
    func historyArgumentsNamed() throws {
        let save = try run(["scan", "examples/vasternorrland", "--save", ""])
        #expect(save.exit == 2 && save.stderr.contains("--save needs the database's file name"), "\(save)")
        for command in [["history"], ["trend", "e-archive"], ["diff"]] {
            let r = try run(command + ["--db", ""])
            #expect(r.exit == 2 && r.stderr.contains("--db needs the history database's file name"), "\(command): \(r)")
        }
        let signed = try run(["diff", "+1", "3", "--db", "nosuch.db"])
        #expect(signed.exit == 2 && signed.stderr.contains("+1: a snapshot id is a plain number (1, not +1)"), "\(signed)")
        try withTemporaryDirectory { dir in
            try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("examples/vasternorrland"),
                                             to: dir.appendingPathComponent("inv"))
            #expect(try run(["scan", "inv", "--save", "infra.db"], cwd: dir).exit == 0)
            let mixed = try run(["scan", "inv", "--baseline-findings", "infra.db"], cwd: dir)
            #expect(mixed.exit == 2 && mixed.stderr.contains("infra.db: an SQLite database (the history `--save` writes?), not a findings baseline")
                    && !mixed.stderr.contains("--write-baseline infra.db"), "\(mixed)")
        }
    }

    @Test("a negative --depth, --dpi, --spof or --limit is refused for what it is, not as an unknown flag")
    func negativeNumbers() throws {
        let depth = try run(["graph", "examples/vasternorrland", "--focus", "inera/siths", "--depth", "-1"])
        #expect(depth.exit == 2 && depth.stderr.contains("--depth must be 0 or more"), "\(depth)")
        let dpi = try run(["graph", "examples/vasternorrland", "--dpi", "-5", "--format", "dot"])
        #expect(dpi.exit == 2 && dpi.stderr.contains("--dpi -5: give a resolution from 10 to 600"), "\(dpi)")
        let spof = try run(["scan", "examples/vasternorrland", "--spof", "-1"])
        #expect(spof.exit == 2 && spof.stderr.contains("--spof must be 0 or more"), "\(spof)")
        let limit = try run(["diff", "--db", "nosuch.db", "--limit", "-1"])
        #expect(limit.exit == 2 && limit.stderr.contains("--limit must be 0 or more"), "\(limit)")
    }

    @Test("usage and I/O problems exit 2 with a message on stderr and nothing on stdout", arguments: usageProblems)
    func usageProblem(_ args: [String]) throws {
        let r = try run(args)
        #expect(r.exit == 2, "\(r)")
        #expect(!r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no message on stderr")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "stdout: \(r.stdout)")
    }

    @Test("no paths: the subcommand's own usage, not the top level's, with the paths shown as required", arguments: ["validate", "scan", "graph", "coverage", "export", "impact"])
    func noPaths(_ command: String) throws {
        let r = try run(command == "impact" ? [command, "ange/x"] : [command])
        #expect(r.exit == 2 && r.stderr.contains("Missing expected argument '<paths> ...'") && r.stderr.contains("Inventory files or directories"), "\(r)")
        // `[<paths> ...]` would say they may be left out.
        #expect(r.stderr.contains("Usage: infra \(command) ") && r.stderr.contains(" <paths> ...") && !r.stderr.contains("[<paths> ...]"), "\(r)")
    }

    @Test("the missing path is named in the message")
    func missingPathNamed() throws {
        let r = try run(["validate", "examples/vasternorrland", "no/such/dir"])
        #expect(r.exit == 2, "\(r)")
        #expect(r.stderr.contains("no/such/dir"), "\(r)")
    }

    @Test("`-` is not a file: the message says standard input is read as /dev/stdin, which works")
    func standardInput() throws {
        let dash = try run(["validate", "-"])
        #expect(dash.exit == 2 && dash.stderr.contains("to read standard input, name it /dev/stdin"), "\(dash)")
        let piped = try run(["validate", "/dev/stdin", "--format", "json"], stdin: "inventory: 1\norganisation: {id: a, name: A, type: annan}\nhard: []\n")
        #expect(piped.exit == 0, "\(piped)")
        #expect(try Report(piped.stdout).count("organisations") == 1)
    }
}

@Suite("what is read")
struct InputTests {
    let workflow = """
        name: CI
        on: [push]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: swift test

        """

    @Test("a non-inventory YAML file in a directory is skipped with a not-an-inventory info")
    func notAnInventory() throws {
        try withTemporaryDirectory { dir in
            try write([
                "repo/ci.yml": workflow,
                "repo/inventory.yaml": header("exempel") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n",
            ], in: dir)
            let r = try run(["validate", "repo", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.findings)")
            let skipped = report.findings.filter { $0.rule == "not-an-inventory" }
            #expect(skipped.count == 1)
            #expect(skipped.first?.severity == "info")
            #expect(skipped.first?.file == "repo/ci.yml")
            #expect(report.count("organisations") == 1)
            #expect(report.count("items") == 1)

            let text = try run(["validate", "repo"], cwd: dir)
            #expect(text.exit == 0, "\(text)")
            #expect(text.stdout.contains("repo/ci.yml"), "\(text)")
            #expect(text.stdout.contains("not-an-inventory"), "\(text)")

            let scan = try run(["scan", "repo"], cwd: dir)
            #expect(scan.exit == 0, "\(scan)")
        }
    }

    @Test("a path holding no inventory at all is a no-inventory warning: CI pointed at the wrong directory fails with --fail-on warning")
    func noInventoryAtAll() throws {
        try withTemporaryDirectory { dir in
            try write(["repo/ci.yml": workflow], in: dir)
            let r = try run(["validate", "repo", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.warnings.map(\.rule) == ["no-inventory"], "\(report.findings)")
            #expect(report.findings.contains { $0.rule == "not-an-inventory" && $0.file == "repo/ci.yml" })
            let strict = try run(["validate", "repo", "--fail-on", "warning"], cwd: dir)
            #expect(strict.exit == 1, "\(strict)")
            #expect(strict.stdout.contains("nothing was checked"), "\(strict)")
        }
    }

    @Test("a workflow under .github/workflows does not break validation of the repository")
    func githubWorkflowDirectory() throws {
        try withTemporaryDirectory { dir in
            try write([
                "repo/.github/workflows/ci.yml": workflow,
                "repo/inventory.yaml": header("exempel") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n",
            ], in: dir)
            let r = try run(["validate", "repo", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.findings)")
            #expect(report.count("organisations") == 1)
        }
    }

    @Test("a file reached under several spellings (inv, ./inv, an absolute path, named alone) is read once")
    func overlappingPaths() throws {
        try withTemporaryDirectory { dir in
            try write([
                "inv/a.yaml": header("a") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n",
                "inv/sub/b.yaml": header("b") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n",
            ], in: dir)
            let absolute = dir.appendingPathComponent("inv").path
            let r = try run(["validate", "inv/sub/b.yaml", "inv", "./inv", absolute, "inv/", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.isEmpty, "\(report.findings)")
            #expect(report.count("files") == 2)
            #expect(report.count("organisations") == 2)
        }
    }

    @Test("a directory walk follows links (a loop once), takes .YAML, walks a directory named x.yaml, and notes a broken link")
    func walkOddTrees() throws {
        try withTemporaryDirectory { dir in
            let item = "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n"
            try write([
                "inv/a.yaml": header("a") + item,
                "inv/Windows.YAML": header("w") + item,
                "inv/old.yaml/c.yml": header("c") + item,
                "shared/s.yaml": header("s") + item,
            ], in: dir)
            let fm = FileManager.default
            let inv = dir.appendingPathComponent("inv")
            try fm.createSymbolicLink(atPath: inv.appendingPathComponent("shared").path, withDestinationPath: "../shared")
            try fm.createSymbolicLink(atPath: inv.appendingPathComponent("loop").path, withDestinationPath: ".")
            try fm.createSymbolicLink(atPath: inv.appendingPathComponent("moved.yaml").path, withDestinationPath: "nowhere.yaml")
            try fm.createSymbolicLink(atPath: dir.appendingPathComponent("inv-link").path, withDestinationPath: "inv")

            for path in ["inv", "inv-link", "inv-link/"] {
                let r = try run(["validate", path, "--format", "json"], cwd: dir)
                #expect(r.exit == 0, "\(path): \(r)")
                let report = try Report(r.stdout)
                #expect(report.count("organisations") == 4, "\(path): a, w, c and s, each once: \(report.findings)")
                #expect(report.count("files") == 5, "\(path): and the broken link")
                let note = report.findings.first { $0.file?.hasSuffix("moved.yaml") == true }
                #expect(note?.rule == "not-an-inventory" && note?.severity == "info", "\(path): \(report.findings)")
                #expect(note?.message == "skipped: a symbolic link to nowhere.yaml, which does not exist")
            }
            // `.` names files as git does (`inv/a.yaml`), in every format.
            let here = try run(["validate", ".", "--format", "json"], cwd: dir)
            #expect(try Report(here.stdout).findings.compactMap(\.file).allSatisfy { !$0.hasPrefix("./") }, "\(here.stdout.prefix(500))")
            let junit = try run(["validate", ".", "--format", "junit"], cwd: dir)
            #expect(junit.stdout.contains(#"name="inv/a.yaml""#), "\(junit.stdout)")

            // In a GitHub job whose working directory is below the checkout, annotations name
            // files from the checkout, where GitHub places them.
            let job = try run(["validate", ".", "../shared/s.yaml", "--format", "github"], cwd: inv,
                              environment: ["GITHUB_WORKSPACE": dir.path, "GITHUB_ACTIONS": "true"])
            #expect(job.stdout.contains("::notice file=inv/moved.yaml,") && !job.stdout.contains("file=moved.yaml"), "\(job)")

            // Named on its own, a broken link is a missing path, said as what it is.
            let alone = try run(["validate", "inv/moved.yaml"], cwd: dir)
            #expect(alone.exit == 2 && alone.stderr.contains("inv/moved.yaml: a symbolic link to nowhere.yaml, which does not exist"), "\(alone)")

            // A subdirectory the user may not read is an I/O problem, named.
            let user = try RunAs.unprivileged(copyingInto: dir.appendingPathComponent("bin"))
            try write(["locked/closed/x.yaml": header("x") + item, "locked/open.yaml": header("o") + item], in: dir)
            for path in [dir.path, dir.appendingPathComponent("locked").path] { chmod(path, 0o755) }
            chmod(dir.appendingPathComponent("locked/closed").path, 0o000)
            defer { chmod(dir.appendingPathComponent("locked/closed").path, 0o755) }
            let locked = try run(["validate", "locked"], cwd: dir, as: user)
            #expect(locked.exit == 2, "\(locked)")
            #expect(locked.stderr.contains("locked/closed: cannot read this directory"), "\(locked)")
        }
    }

    /// sundsvall-style split: a.yaml has the full header, b.yaml repeats only the id.
    let splitA = header("delad", name: "Delad organisation") + """
        services:
          - id: tjanst
            name: Tjänst
            capability: e-service
            depends_on: [inloggning]
        hard:
          - id: server
            name: Server
            capability: datacenter

        """
    let splitB = """
        inventory: 1
        organisation: {id: delad}
        soft:
          - id: inloggning
            name: Inloggning
            capability: identity-federation
            depends_on: [server]
          - id: lagring
            name: Lagring
            capability: document-storage
            depends_on: [server]

        """

    @Test("an organisation split over two files merges: one organisation, items summed, references across files resolve")
    func splitOrganisation() throws {
        try withTemporaryDirectory { dir in
            try write(["org/a.yaml": splitA, "org/b.yaml": splitB], in: dir)
            let r = try run(["validate", "org", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.findings.isEmpty, "\(report.findings)")
            #expect(report.count("files") == 2)
            #expect(report.count("organisations") == 1)
            #expect(report.count("items") == 4)

            // The files can also be given one by one.
            let files = try run(["validate", "org/b.yaml", "org/a.yaml", "--format", "json"], cwd: dir)
            #expect(files.exit == 0, "\(files)")
            #expect(try Report(files.stdout).count("organisations") == 1)

            let scan = try run(["scan", "org", "--format", "json"], cwd: dir)
            #expect(scan.exit == 0, "\(scan)")
            let scanned = try Report(scan.stdout)
            #expect(scanned.errors.isEmpty, "\(scanned.errors)")
            #expect(!scanned.findings.contains { $0.rule == "ungrounded" }, "grounding across files failed: \(scanned.findings)")
            #expect((scanned.object["overview"] as? [String: Any])?["organisations"] as? Int == 1)
        }
    }

    @Test("a reference to a missing item in the other file is still unresolved")
    func splitOrganisationUnresolved() throws {
        try withTemporaryDirectory { dir in
            let b = splitB.replacingOccurrences(of: "depends_on: [server]\n  - id: lagring", with: "depends_on: [servr]\n  - id: lagring")
            try write(["org/a.yaml": splitA, "org/b.yaml": b], in: dir)
            let r = try run(["validate", "org", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.map(\.rule) == ["unresolved-reference"], "\(report.findings)")
            #expect(report.errors.first?.file == "org/b.yaml")
            #expect(report.errors.first?.line == 7)
            #expect(report.errors.first?.message.contains("server") == true, "no suggestion: \(report.errors)")
        }
    }

    @Test("an item id used in both files of one organisation is a duplicate-id error")
    func splitOrganisationDuplicateID() throws {
        try withTemporaryDirectory { dir in
            let b = splitB.replacingOccurrences(of: "id: lagring", with: "id: server")
            try write(["org/a.yaml": splitA, "org/b.yaml": b], in: dir)
            let r = try run(["validate", "org", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.map(\.rule) == ["duplicate-id"], "\(report.findings)")
        }
    }

    @Test("two full headers for one organisation is an error; no full header at all is an error")
    func splitOrganisationHeaders() throws {
        try withTemporaryDirectory { dir in
            let twoHeaders = splitB.replacingOccurrences(of: "organisation: {id: delad}",
                                                         with: "organisation:\n  id: delad\n  name: Delad igen\n  type: annan")
            try write(["two/a.yaml": splitA, "two/b.yaml": twoHeaders, "none/b.yaml": splitB], in: dir)
            let two = try Report(try run(["validate", "two", "--format", "json"], cwd: dir).stdout)
            #expect(two.errors.map(\.rule) == ["duplicate-header"], "\(two.findings)")
            let none = try run(["validate", "none", "--format", "json"], cwd: dir)
            #expect(none.exit == 1, "\(none)")
            #expect(try Report(none.stdout).errors.map(\.rule).contains("missing-header"), "\(none)")
        }
    }

    @Test("a copied file (`a (1).yaml`) is one duplicate-header error saying it looks like a copy, not one duplicate-id per item")
    func copiedFile() throws {
        try withTemporaryDirectory { dir in
            let org = header("kopia") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n  - id: dc\n    name: DC\n    capability: datacenter\n"
            try write(["org/a.yaml": org, "org/a (1).yaml": org], in: dir)
            let report = try Report(try run(["validate", "org", "--format", "json"], cwd: dir).stdout)
            #expect(report.errors.map(\.rule) == ["duplicate-header"], "\(report.findings)")
            #expect(report.errors.first?.message.hasSuffix("— and all 2 of its item ids are used there too: a copy of that file?") == true,
                    "\(report.errors)")
            // A second header with some items of its own is told as before, item by item. (`a (1).yaml`
            // is read first: a space sorts before a dot.)
            try write(["org/a.yaml": org + "  - id: annan\n    name: Annan\n    capability: datacenter\n"], in: dir)
            let partial = try Report(try run(["validate", "org", "--format", "json"], cwd: dir).stdout)
            #expect(partial.errors.map(\.rule).sorted() == ["duplicate-header", "duplicate-id", "duplicate-id"], "\(partial.findings)")
        }
    }

    @Test("an item repeated whole by an alias (`- *hall`) is a duplicate id that says so")
    func itemRepeatedByAlias() throws {
        try withTemporaryDirectory { dir in
            try write(["a.yaml": header("a") + "hard:\n  - &hall\n    id: serverhall\n    name: Hall\n    capability: datacenter\n  - *hall\n"], in: dir)
            let report = try Report(try run(["validate", "a.yaml", "--format", "json"], cwd: dir).stdout)
            #expect(report.errors.map(\.rule) == ["duplicate-id"], "\(report.findings)")
            #expect(report.errors.first?.message.hasSuffix("— an alias (`*…`) repeats this item whole; delete the alias") == true, "\(report.errors)")
        }
    }

    @Test("--no-national: a reference to inera/siths becomes an unresolved-reference error")
    func noNational() throws {
        try withTemporaryDirectory { dir in
            try write(["n.yaml": header("nationell") + """
                soft:
                  - id: siths
                    name: SITHS
                    capability: eid-staff
                    depends_on: [inera/siths]

                """], in: dir)
            let with = try run(["validate", "n.yaml", "--format", "json"], cwd: dir)
            #expect(with.exit == 0, "\(with)")
            #expect(try Report(with.stdout).errors.isEmpty)

            let without = try run(["validate", "n.yaml", "--no-national", "--format", "json"], cwd: dir)
            #expect(without.exit == 1, "\(without)")
            let report = try Report(without.stdout)
            #expect(report.errors.map(\.rule) == ["unresolved-reference"], "\(report.findings)")
            #expect(report.errors.first?.line == 10)
            #expect(report.errors.first?.item == "siths")
            #expect(report.errors.first?.message.contains("inera/siths") == true)

            let scan = try run(["scan", "n.yaml", "--no-national", "--format", "json"], cwd: dir)
            #expect(scan.exit == 1, "\(scan)")
            #expect(try Report(scan.stdout).errors.map(\.rule).contains("unresolved-reference"))
        }
    }

    @Test("national components are not counted as scanned files or organisations")
    func nationalNotCounted() throws {
        let r = try run(["validate", "examples/vasternorrland", "--format", "json"])
        let report = try Report(r.stdout)
        #expect(report.count("files") == 5)
        #expect(report.count("organisations") == 4)
    }
}

@Suite("infra never writes into inventories")
struct ReadOnlyTests {
    struct Snapshot: Equatable {
        var files: [String: Data] = [:]
        var modified: [String: Date] = [:]
    }

    func snapshot(_ dir: URL) throws -> Snapshot {
        var s = Snapshot()
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: dir, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey]) else {
            throw ParseFailure(description: "cannot walk \(dir.path)")
        }
        let base = dir.path.count
        for case let url as URL in walker {
            let path = String(url.resolvingSymlinksInPath().path.dropFirst(base))
            let values = try url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
            s.modified[path] = values.contentModificationDate
            if values.isRegularFile == true { s.files[path] = try Data(contentsOf: url) }
        }
        return s
    }

    @Test("validate and scan in every format leave the files, their contents and modification dates unchanged")
    func nothingWritten() throws {
        try withTemporaryDirectory { dir in
            let copy = dir.appendingPathComponent("examples")
            try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("examples"), to: copy)
            let before = try snapshot(copy)
            #expect(before.files.count >= 7)
            for format in ["text", "json", "github", "sarif", "junit"] {
                try run(["validate", "examples", "--format", format], cwd: dir)
            }
            for format in ["text", "json", "markdown", "sarif", "github"] {
                try run(["scan", "examples/vasternorrland", "--format", format], cwd: dir)
            }
            try run(["scan", "examples", "--country"], cwd: dir)
            let after = try snapshot(copy)
            #expect(Set(after.files.keys) == Set(before.files.keys), "files appeared or vanished")
            for (path, data) in before.files {
                #expect(after.files[path] == data, "\(path) changed")
                #expect(after.modified[path] == before.modified[path], "\(path) was touched")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(leftovers == ["examples"], "files written beside the inventories: \(leftovers)")
        }
    }
}

@Suite("help")
struct HelpTests {
    @Test("every example in every command's --help is one whole line at 80 columns, so it can be copied")
    func examplesFitTheLine() throws {
        // A comment after an example wrapped to column 0 at 80 columns, and a copied block
        // then ran `whole graph` as a command.
        let top = try run(["--help"], environment: ["COLUMNS": "80"]).stdout
        let commands = top.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            } ?? []
        #expect(commands.count >= 10, "\(top)")
        for command in commands {
            let help = try run([command, "--help"], environment: ["COLUMNS": "80"]).stdout.components(separatedBy: "\n")
            for (i, line) in help.enumerated() where line.hasPrefix("  infra ") || line.hasPrefix("  # ") {
                let next = i + 1 < help.count ? help[i + 1] : ""
                #expect(next.isEmpty || next.hasPrefix(" ") || next.hasSuffix(":"),
                        "`infra \(command) --help`: the example `\(line)` runs on into `\(next)`")
                #expect(line.count <= 80, "`infra \(command) --help`: `\(line)` is longer than 80 columns")
            }
        }
    }
}
