import ArgumentParser
import Foundation
import InfraLoad
import InfraModel
import InfraPipeline
import InfraReference
import InfraReport

/// The inputs every analysing command takes.
struct InputOptions: ParsableArguments {
    // Required (no default), so that the usage line shows `<paths> ...` as such and a
    // command without one says so with the subcommand's usage.
    @Argument(help: "Inventory files or directories (searched recursively for .yaml/.yml).")
    var paths: [String]

    @Flag(help: "Leave out the built-in national inventories (BankID, SITHS, Mina meddelanden …).")
    var noNational = false

    @Flag(help: "Print the time each stage took (load, resolve, check, render) on stderr.")
    var timings = false

    func pipelineOptions() -> PipelineOptions {
        var options = PipelineOptions()
        options.includeNational = !noNational
        options.detailedTimings = timings
        return options
    }

    /// `beforeLoading` runs once the files are listed and infra will not start itself again
    /// (`MallocTuning`), just before they are read.
    func run(_ options: PipelineOptions, beforeLoading: (() -> Void)? = nil) throws -> PipelineResult {
        do throws(InputError) {
            let t0 = Date()
            let listed = try Loader.yamlFiles(in: paths)
            MallocTuning.restartIfLarge(listed)
            beforeLoading?()
            inventoriesRead = listed
            let result = try Pipeline.run(listed: listed, options: options, since: t0)
            keepUntilExit.append(result)
            return result
        } catch {
            throw InputProblem(error.description)
        }
    }
}

/// Results stay referenced until the process exits: freeing a country's worth of
/// items one by one costs a noticeable share of a scan, and the OS reclaims it anyway.
nonisolated(unsafe) var keepUntilExit: [Any] = []

enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning
}

/// Commands that report something else than findings still exit as `validate` does:
/// 1 when the inventories they read have errors (said on stderr), so CI notices.
func failIfErrors(_ result: PipelineResult) throws {
    guard result.summary.errors > 0 else { return }
    FileHandle.standardError.write(Data("infra: the inventories have \(result.summary.errors) error\(result.summary.errors == 1 ? "" : "s"); `infra validate` lists them\n".utf8))
    throw ExitCode(1)
}

/// Colour only on a terminal that shows it: never when NO_COLOR is set to anything
/// (no-color.org: an empty value does not count) or the terminal is `TERM=dumb` (Emacs'
/// shell, some CI logs), which print the escape codes as they are.
var useColor: Bool {
    let environment = ProcessInfo.processInfo.environment
    return isatty(STDOUT_FILENO) == 1 && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
}

/// Source lines for carets under findings; built-in files come from the embedded copy.
/// Each file is read once and only its line starts are found (a country's text report
/// quotes lines from hundreds of files); a line becomes a String when it is asked for.
final class SourceLines: @unchecked Sendable {
    private struct Lines {
        var bytes: [UInt8] = []
        /// Where each line starts; line n (1-based) is `bytes[starts[n - 1]..<next start - 1]`.
        var starts: [Int] = []
    }
    private var cache: [String: Lines] = [:]
    private let lock = NSLock()

    func line(_ file: String, _ number: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if cache[file] == nil {
            let bytes: [UInt8]?
            if file.hasPrefix(Reference.label) {
                bytes = Reference.text(String(file.dropFirst(Reference.label.count))).map { Array($0.utf8) }
            } else {
                bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))).map { [UInt8]($0) }
            }
            cache[file] = bytes.map(Self.lines) ?? Lines()
        }
        guard let lines = cache[file], number >= 1, number <= lines.starts.count else { return nil }
        let start = lines.starts[number - 1]
        var end = number < lines.starts.count ? lines.starts[number] - 1 : lines.bytes.count
        if end > start, lines.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }  // CR LF line ends
        return String(decoding: lines.bytes[start..<end], as: UTF8.self)
    }

    private static func lines(_ bytes: [UInt8]) -> Lines {
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count, let hit = memchr(base + offset, 0x0A, buffer.count - offset) {
                offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(offset)
            }
        }
        return Lines(bytes: bytes, starts: starts)
    }
}

/// Prints stage timings on stderr when asked; `render` is measured from `renderStart`.
func reportTimings(_ result: PipelineResult, renderStart: Date, if enabled: Bool) {
    guard enabled else { return }
    let stages = result.timings + [("render", Date().timeIntervalSince(renderStart))]
    let line = stages.map { "\($0.stage) " + String(format: "%.3f s", $0.seconds) }.joined(separator: " · ")
    // Memory first, so that the stage line stays the last but for `scan --save`'s own.
    var memory = result.memory.map { "\($0.stage) " + ResidentMemory.mebibytes($0.bytes) }
    if let now = ResidentMemory.current() { memory.append("render " + ResidentMemory.mebibytes(now)) }
    if let peak = ResidentMemory.peak() { memory.append("peak " + ResidentMemory.mebibytes(peak)) }
    let memoryLine = memory.isEmpty ? "" : "memory (resident after each stage) " + memory.joined(separator: " · ")
        + (MallocTuning.restarted ? " · malloc tuned for a big input (GLIBC_TUNABLES)" : "") + "\n"
    FileHandle.standardError.write(Data((memoryLine + line + "\n").utf8))
}

/// Writes a report to standard output. A full disk (`> /dev/full`) or a bad descriptor is
/// an I/O problem like any other (exit code 2, the reason said; a snapshot in progress is
/// rolled back). A closed pipe (`| head`) ends infra through SIGPIPE, as for any other tool.
/// A report for people (text, Markdown) as it goes into a GitHub Actions log: the runner
/// reads a line that starts with `::` (after blanks), or holds `##[`, as a workflow command,
/// and a report quotes the inventories' own lines. So when one of them is in the report, it
/// is put between `::stop-commands::TOKEN` and `::TOKEN::` (a token the inventories cannot
/// know), as GitHub documents for echoing untrusted text. Only for those two formats (the
/// others are read by programs, `github` is commands on purpose), only in Actions
/// (`GITHUB_ACTIONS=true`) and only to the log: not when the report goes to a file.
func forActionsLog(_ text: String, format: FindingsFormat) -> String {
    guard format == .text || format == .markdown, ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true",
          text.contains("::") || text.contains("##[") else { return text }
    var status = stat()
    if fstat(STDOUT_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG { return text }
    var random = SystemRandomNumberGenerator()
    let token = (0..<2).map { _ in String(random.next() as UInt64, radix: 16) }.joined(separator: "-")
    return "::stop-commands::\(token)\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "::\(token)::\n"
}

func write(_ text: String) throws {
    // Nothing to say is nothing written: a CI log gets no empty line (GitHub annotations of a clean run).
    guard !text.isEmpty else { return }
    try writeAll(Array(text.utf8) + (text.hasSuffix("\n") ? [] : [UInt8(ascii: "\n")]), to: STDOUT_FILENO, name: "standard output")
}
