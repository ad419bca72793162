import Foundation
import Testing

/// A hostile or malformed file and what `infra` must say about it.
struct HostileCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// The rule of the finding that names the file.
    let rule: String
    /// error → exit 1; info → skipped, exit 0.
    let severity: String
    /// The line the finding must point at, when it is known.
    let line: Int?
    let make: @Sendable () -> Data

    var testDescription: String { name }
    var file: String { name + ".yaml" }

    static let head = "inventory: 1\norganisation:\n  id: exempel\n  name: Exempel\n  type: annan\n"  // 5 lines

    static let all: [HostileCase] = [
        HostileCase(name: "alias-bomb", rule: "yaml-limit", severity: "error", line: nil) {
            // Billion laughs: 9^9 expansions of "lol".
            var s = head + "x-bomb:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            let names = Array("abcdefghij").map(String.init)
            for i in 1..<names.count {
                let p = names[i - 1]
                s += "  \(names[i]): &\(names[i]) [" + Array(repeating: "*\(p)", count: 9).joined(separator: ",") + "]\n"
            }
            return Data(s.utf8)
        },
        HostileCase(name: "alias-bomb-in-items", rule: "yaml-limit", severity: "error", line: nil) {
            var s = head + "x-defs:\n  - &a [{id: a, name: A, capability: e-service}, {id: b, name: B, capability: e-service}]\n"
            let names = Array("abcdefghijklmnopq").map(String.init)
            for i in 1..<names.count {
                s += "  - &\(names[i]) [*\(names[i - 1]), *\(names[i - 1])]\n"
            }
            s += "services: *q\n"
            return Data(s.utf8)
        },
        HostileCase(name: "string-alias-repeated", rule: "yaml-limit", severity: "error", line: nil) {
            // Few events, much text: a 1 MB value used by 300 items would be ~900 MB in an export.
            var s = head + "x-text: &s \"" + String(repeating: "y", count: 1_000_000) + "\"\nsoft:\n"
            for i in 0..<300 { s += "  - {id: s\(i), name: *s, notes: *s, product: *s, capability: e-archive}\n" }
            return Data(s.utf8)
        },
        HostileCase(name: "deep-flow-sequence", rule: "yaml-limit", severity: "error", line: 6) {
            Data((head + "services: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n").utf8)
        },
        HostileCase(name: "deep-flow-mapping", rule: "yaml-limit", severity: "error", line: 6) {
            Data((head + "x-deep: " + String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000) + "\n").utf8)
        },
        HostileCase(name: "bad-utf8", rule: "file-encoding", severity: "error", line: 8) {
            var d = Data((head + "services:\n  - id: a\n    name: ").utf8)
            d.append(contentsOf: [0xFF, 0xFE, 0x41])
            d.append(contentsOf: Array("\n    capability: e-service\n".utf8))
            return d
        },
        HostileCase(name: "utf16-le-bom", rule: "file-encoding", severity: "error", line: 1) {
            var d = Data([0xFF, 0xFE])
            for unit in head.utf16 { d.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
            return d
        },
        HostileCase(name: "utf16-be-bom", rule: "file-encoding", severity: "error", line: 1) {
            var d = Data([0xFE, 0xFF])
            for unit in head.utf16 { d.append(contentsOf: [UInt8(unit >> 8), UInt8(unit & 0xFF)]) }
            return d
        },
        HostileCase(name: "nul-bytes", rule: "file-encoding", severity: "error", line: 8) {
            var d = Data((head + "services:\n  - id: a\n    name: x").utf8)
            d.append(0)
            d.append(contentsOf: Array("y\n    capability: e-service\n".utf8))
            return d
        },
        HostileCase(name: "include-tag", rule: "custom-tag", severity: "error", line: 6) {
            Data((head + "services: !include /etc/passwd\n").utf8)
        },
        HostileCase(name: "python-object-tag", rule: "custom-tag", severity: "error", line: 6) {
            Data((head + "x-obj: !!python/object/apply:os.system ['touch pwned']\n").utf8)
        },
        HostileCase(name: "two-documents", rule: "multiple-documents", severity: "error", line: 6) {
            Data((head + "---\n" + head).utf8)
        },
        // An inventory written as list entries: skipped, with a warning where it starts.
        HostileCase(name: "top-level-list", rule: "inventory-key-missing", severity: "warning", line: 1) {
            Data("- inventory: 1\n- organisation: {id: exempel}\n".utf8)
        },
        HostileCase(name: "huge-scalar", rule: "yaml-limit", severity: "error", line: 6) {
            var d = Data((head + "x-big: ").utf8)
            d.append(Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024))
            d.append(UInt8(ascii: "\n"))
            return d
        },
    ]
}

@Suite("hostile files through the executable")
struct HostileFileTests {
    @Test("reported as a finding naming the file, no crash, within the time limit", arguments: HostileCase.all)
    func hostile(_ c: HostileCase) throws {
        try withTemporaryDirectory { dir in
            try write(c.make(), to: c.file, in: dir)
            for command in ["validate", "scan"] {
                let r = try run([command, c.file, "--format", "json"], cwd: dir)
                #expect(!r.signalled && !r.timedOut, "\(command): \(r)")
                #expect(r.exit == (c.severity == "error" ? 1 : 0), "\(command): \(r)")
                let report = try Report(r.stdout)
                let named = report.findings.filter { $0.file == c.file }
                #expect(named.contains { $0.rule == c.rule && $0.severity == c.severity },
                        "\(command): want a \(c.severity) \(c.rule) naming \(c.file), got \(report.findings)")
                if let line = c.line {
                    #expect(named.contains { $0.rule == c.rule && $0.line == line },
                            "\(command): want line \(line), got \(named)")
                } else if c.severity == "error" {
                    #expect(named.contains { $0.rule == c.rule && $0.line != nil }, "\(command): no line: \(named)")
                }
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("pwned").path) == false)
            }
            // The text output also names the file, and its source excerpt is clipped: a hostile
            // file's bulk (a 50 MB line, 20,000 brackets) must not be copied to the terminal.
            let text = try run(["validate", c.file], cwd: dir)
            #expect(text.stdout.contains(c.file), "\(text)")
            let longest = text.stdout.split(separator: "\n").map(\.count).max() ?? 0
            #expect(longest <= 1_000, "text output has a line of \(longest) characters (\(text.stdout.utf8.count) bytes in all)")
        }
    }

    @Test("a hostile file does not stop the other files from being checked")
    func hostileBesideGood() throws {
        try withTemporaryDirectory { dir in
            try write(HostileCase.all.first { $0.name == "include-tag" }!.make(), to: "inv/bad.yaml", in: dir)
            try write(["inv/good.yaml": header("bra") + "hard:\n  - id: wan\n    name: WAN\n    capabilty: wan\n"], in: dir)
            let r = try run(["validate", "inv", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.errors.contains { $0.file == "inv/bad.yaml" && $0.rule == "custom-tag" }, "\(report.findings)")
            #expect(report.errors.contains { $0.file == "inv/good.yaml" && $0.rule == "unknown-key" }, "\(report.findings)")
        }
    }

    @Test("a directory walk reads regular files only: a FIFO or a link to a device named .yaml is passed over, not waited on")
    func specialFilesInADirectory() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/good.yaml": header("bra") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n",
                       "shared/other.yaml": header("andra") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n"], in: dir)
            // Reading a FIFO with no writer blocks forever; /dev/zero never ends.
            #expect(mkfifo(dir.appendingPathComponent("inv/pipe.yaml").path, 0o644) == 0)
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("inv/zero.yml").path,
                                                       withDestinationPath: "/dev/zero")
            // A link to a regular file is still read.
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("inv/linked.yaml").path,
                                                       withDestinationPath: "../shared/other.yaml")
            let r = try run(["validate", "inv", "--format", "json"], cwd: dir, timeout: 20)
            #expect(!r.timedOut && r.exit == 0, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.count("files") == 2, "\(r.stdout)")
            #expect(report.count("organisations") == 2, "\(r.stdout)")
            #expect(!r.stdout.contains("pipe.yaml") && !r.stdout.contains("zero.yml"), "\(r.stdout)")
        }
    }

    @Test("a file whose name is not UTF-8 is not passed over in silence: exit 2, saying why")
    func fileNameNotUTF8() throws {
        try withTemporaryDirectory { dir in
            try write(["inv/good.yaml": header("bra") + "hard:\n  - id: wan\n    name: WAN\n    capability: wan\n"], in: dir)
            // Swift's Strings cannot spell this name; the bytes go to open(2) as they are.
            let bytes = (Array(dir.appendingPathComponent("inv").path.utf8) + [UInt8(ascii: "/"), 0xFF] + Array("bad.yaml".utf8) + [0])
                .map { CChar(bitPattern: $0) }
            let fd = open(bytes, O_CREAT | O_WRONLY, 0o644)
            #expect(fd >= 0)
            if fd >= 0 { close(fd) }
            let r = try run(["validate", "inv"], cwd: dir)
            #expect(r.exit == 2, "\(r)")
            #expect(r.stderr.contains("not valid UTF-8") && r.stderr.contains("rename"), "\(r.stderr)")
        }
    }
}
