import Foundation
import Testing
@testable import InfraLoad
import InfraModel

/// Parses YAML text as an inventory file called `path`.
func parse(_ text: String, path: String = "kommun.yaml", limits: ReadLimits = .standard) -> FileResult {
    Loader.parse(bytes: Array(text.utf8), path: path, limits: limits)
}

extension FileResult {
    func findings(_ rule: RuleID) -> [Finding] { findings.filter { $0.rule == rule } }
    var errors: [Finding] { findings.filter { $0.severity == .error } }
    var rules: [RuleID] { findings.map(\.rule) }
    func item(_ id: String) -> Item? { inventory?.items.first { $0.id.value == id } }
    /// One line per finding, for failure messages.
    var dump: String {
        findings.map { "\($0.severity.rawValue) \($0.rule) \($0.line ?? 0):\($0.column ?? 0) org=\($0.organisation ?? "-") item=\($0.item ?? "-") \($0.message)" }
            .joined(separator: "\n")
    }
}

func at(_ line: Int, _ column: Int) -> TextPosition { TextPosition(line: line, column: column) }

/// A fresh temporary directory, removed by the caller with `cleanUp`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("infra-load-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}
