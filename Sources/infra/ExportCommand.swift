import ArgumentParser
import Foundation
import InfraLoad
import InfraPipeline
import InfraReport
import InfraStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the resolved model for analysts: JSON, or CSV files of items and edges.",
        discussion: """
        Every reference is written out as org/item. Items marked `sensitivity: restricted` are \
        masked (name, product, vendor and notes withheld) unless --include-restricted.

          infra export --format json inventories/ > model.json
          # writes out/items.csv and out/edges.csv
          infra export --format csv --output out/ inventories/
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: json (stdout or --output FILE) or csv (two files into --output DIR).")
    var format: ExportFormat = .json

    @Option(help: "Where to write: a file for json, a directory for csv.")
    var output: String?

    @Flag(help: "Include the built-in national organisations in the export.")
    var includeNational = false

    @Flag(help: "Do not mask items marked sensitivity: restricted.")
    var includeRestricted = false

    func run() throws {
        let result = try inputs.run(inputs.pipelineOptions())
        let model = result.export(includeNational: includeNational, includeRestricted: includeRestricted)
        switch format {
        case .json:
            // Streamed: a country's export is ~200 MB, written as it is made.
            if let output {
                try writeOutput(to: output) { (sink: ([UInt8]) throws -> Void) in try ExportRenderer.writeJSON(model, to: sink) }
            } else {
                try ExportRenderer.writeJSON(model) { (piece: [UInt8]) throws in try writeAll(piece, to: STDOUT_FILENO, name: "standard output") }
            }
        case .csv:
            guard let output else { throw InputProblem("--format csv writes two files: give a directory with --output DIR") }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw InputProblem("--output \(output) is a file; --format csv writes items.csv and edges.csv into a directory")
            }
            try makeDirectory(output)
            // Streamed into both files at once; each replaces its old file only when complete.
            try writeOutput(to: (output as NSString).appendingPathComponent("items.csv")) { (items: ([UInt8]) throws -> Void) in
                try writeOutput(to: (output as NSString).appendingPathComponent("edges.csv")) { (edges: ([UInt8]) throws -> Void) in
                    try ExportRenderer.writeCSV(model, items: items, edges: edges)
                }
            }
        }
        try failIfErrors(result)
    }
}

/// `mkdir -p`, with the system's reason when it fails (Foundation's error prints as a dictionary).
func makeDirectory(_ path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
    let parent = parentDirectory(path)
    if !parent.isEmpty, parent != path { try makeDirectory(parent) }
    if mkdir(path, 0o777) != 0, errno != EEXIST {
        throw InputProblem("\(path): cannot create the directory: \(String(cString: strerror(errno)))")
    }
}

/// The directory part of `path`: "" for a bare name, "/" for a name at the root.
/// (Foundation's `NSString.deletingLastPathComponent` crashes on a one-character path.)
func parentDirectory(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
}

/// Writes command output to `output`; never over a YAML file (an inventory).
func writeNew(_ text: String, to path: String) throws {
    try writeOutput(Array(text.utf8), to: path)
}

/// An output named `.yaml`/`.yml` (in any case), or a link to one, is refused: inventories
/// are YAML, and none is ever written over. Also checked before a long scan.
func refuseYAMLOutput(_ output: String) throws {
    // The name given and, through links, the file written.
    let resolved = URL(fileURLWithPath: output).resolvingSymlinksInPath().path
    for name in [output, resolved] {
        let lower = name.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            let through = name == output ? "" : " (it links to \(resolved))"
            throw InputProblem("\(output)\(through): refusing to write output over a YAML file (inventories are .yaml); give it another extension")
        }
    }
}

/// The one place output files are written. Refuses `.yaml`/`.yml` paths so no inventory
/// is ever overwritten.
func writeOutput(_ bytes: [UInt8], to output: String) throws {
    try writeOutput(to: output) { (sink: ([UInt8]) throws -> Void) in try sink(bytes) }
}

/// `writeOutput` for output made piece by piece: `produce` hands each piece to its sink.
func writeOutput(to output: String, _ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
    try refuseYAMLOutput(output)
    try refuseToOverwriteInput(output)
    // A regular file (or a new one) is replaced atomically: written beside it under a
    // temporary name, then renamed over it. Anything else — /dev/null, /dev/stdout, a named
    // pipe, a symbolic link — is written through: a rename would replace the device or the link.
    var info = stat()
    let replaceable = lstat(output, &info) != 0 || (info.st_mode & S_IFMT) == S_IFREG
    let url = URL(fileURLWithPath: output)
    let target = replaceable
        ? url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).infra-\(getpid()).tmp").path
        : output
    // O_TRUNC empties a file behind a link and is ignored by devices and pipes.
    let fd = replaceable ? open(target, O_WRONLY | O_CREAT | O_EXCL, 0o666) : open(target, O_WRONLY | O_TRUNC)
    guard fd >= 0 else { throw InputProblem("cannot write \(output): \(String(cString: strerror(errno)))") }
    var isOpen = true
    do {
        try produce { piece in try writeAll(piece, to: fd, name: output) }
        isOpen = false
        guard close(fd) == 0 else {
            throw InputProblem("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        if replaceable, rename(target, output) != 0 {
            throw InputProblem("cannot write \(output): \(String(cString: strerror(errno)))")
        }
    } catch {
        if isOpen { close(fd) }
        if replaceable { unlink(target) }  // nothing half-written is left behind
        throw error
    }
}

/// The inventory files this run reads. Output never goes over one, whatever its name:
/// `graph inv.svg -o inv.svg` once replaced an inventory named inv.svg with its picture.
nonisolated(unsafe) var inventoriesRead: [String] = []

/// Throws when `output` (through links) is an inventory this run reads, or an SQLite database:
/// `trend --output infra.db` once replaced the history with a table, losing every snapshot.
/// Only an existing regular file is looked at (reading a FIFO or /dev/stdout could block),
/// and only then compared with the inputs, one `stat` each.
func refuseToOverwriteInput(_ output: String) throws {
    var info = stat()
    guard stat(output, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
    let target = FileIdentity(info)
    if inventoriesRead.contains(where: { FileIdentity(path: $0) == target }) {
        throw InputProblem("\(output): refusing to write output over an inventory this command reads; choose another name")
    }
    if HistoryStore.isSQLiteFile(output) {
        throw InputProblem("\(output): refusing to write output over an SQLite database (infra's history is kept in one); choose another name")
    }
}

/// Writes all of `bytes` to `fd` (`write(2)` may take less than it is given).
func writeAll(_ bytes: [UInt8], to fd: Int32, name: String) throws {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        if written < 0, errno == EINTR { continue }
        guard written > 0 else { throw InputProblem("cannot write \(name): \(String(cString: strerror(errno)))") }
        offset += written
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv
}
