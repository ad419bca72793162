import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The end-to-end tests run the BUILT `infra` executable as a subprocess, the way a user or a
// CI job does. Build it first:  swift build --build-tests && swift test --skip-build
// (INFRA_EXECUTABLE=/path/to/infra overrides where it is looked for).

/// The repository root, found by walking up from this file to the directory holding Package.swift.
let repoRoot: URL = {
    var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            return dir
        }
        dir = dir.deletingLastPathComponent()
    }
    // Tests/EndToEndTests/Support.swift → two levels up.
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}()

struct MissingExecutable: Error, CustomStringConvertible {
    let searched: [String]
    var description: String {
        "the `infra` executable was not found; run `swift build --build-tests` first (or set INFRA_EXECUTABLE). Looked in:\n  "
            + searched.joined(separator: "\n  ")
    }
}

/// Where the built `infra` is: next to the running test binary (the build products directory,
/// also when the binary sits inside an .xctest bundle on macOS), else `.build/debug/infra`
/// under the repository root.
let infraExecutable: Result<URL, MissingExecutable> = {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let override = ProcessInfo.processInfo.environment["INFRA_EXECUTABLE"], !override.isEmpty {
        // An explicit choice is used as is, never silently replaced by another build.
        guard fm.isExecutableFile(atPath: override) else { return .failure(MissingExecutable(searched: [override + " (INFRA_EXECUTABLE)"])) }
        return .success(URL(fileURLWithPath: override))
    }
    var starts: [URL] = []
    #if os(Linux)
    if let exe = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        starts.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    #endif
    if let exe = Bundle.main.executableURL { starts.append(exe.resolvingSymlinksInPath().deletingLastPathComponent()) }
    if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
        starts.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath().deletingLastPathComponent())
    }
    starts.append(Bundle.main.bundleURL)
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        starts.append(bundle.bundleURL.deletingLastPathComponent())
    }
    for start in starts {
        // …/debug/infraPackageTests.xctest[/Contents/MacOS] → …/debug
        var dir = start
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("infra"))
            dir = dir.deletingLastPathComponent()
        }
    }
    candidates.append(repoRoot.appendingPathComponent(".build/debug/infra"))
    for c in candidates {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: c.path, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: c.path) {
            return .success(c)
        }
    }
    return .failure(MissingExecutable(searched: candidates.map(\.path)))
}()

/// What one run of `infra` did.
struct RunResult: Sendable, CustomStringConvertible {
    let exit: Int32
    let stdout: String
    let stderr: String
    /// The process was ended by a signal (a crash, or our timeout kill); `exit` is then the signal number.
    let signalled: Bool
    let timedOut: Bool
    let seconds: Double

    var description: String {
        "exit \(exit)\(signalled ? " (signal)" : "")\(timedOut ? " (timed out)" : "") after \(String(format: "%.2f", seconds)) s\n"
            + "--- stdout (first 3000 chars):\n\(stdout.prefix(3000))\n--- stderr (first 3000 chars):\n\(stderr.prefix(3000))"
    }
}

/// Signs in stderr that the tool crashed instead of reporting.
let crashMarkers = ["Fatal error", "Stack dump", "Segmentation fault", "Illegal instruction", "Current stack trace", "💣 Program crashed"]

/// Runs the built `infra` with `args` in `cwd`. stdout and stderr go to temporary files (so a
/// chatty process never blocks on a full pipe); after `timeout` seconds the process is killed and
/// the test fails. A crash (ended by a signal, or a Swift runtime trap message on stderr) is
/// always recorded as a failure, whatever the test goes on to check.
@discardableResult
/// `environment`: variables set for this run on top of the test process's own.
/// `onTerminal`: on a pseudo-terminal (through util-linux's `script`, Debian's essential
/// bsdutils), as a user at a terminal runs it; stdout then holds stdout and stderr as the
/// terminal showed them. `stdin`: what the process reads on its standard input (else nothing).
func run(_ args: [String], cwd: URL = repoRoot, timeout: TimeInterval = 60, environment: [String: String] = [:],
         as user: RunAs = .me, onTerminal: Bool = false, stdin: String? = nil,
         sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
    var exe = try infraExecutable.get()
    var args = args
    if case .unprivileged(let copy) = user, getuid() == 0 {
        // Root may write anything: run as nobody (a copy of the executable it can reach).
        args = ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path] + args
        exe = URL(fileURLWithPath: "/usr/bin/setpriv")
    }
    if onTerminal {
        let quoted = ([exe.path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        args = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        exe = URL(fileURLWithPath: "/usr/bin/script")
    }
    let fm = FileManager.default
    let scratch = fm.temporaryDirectory.appendingPathComponent("infra-e2e-out-\(UUID().uuidString)")
    try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = fm.createFile(atPath: outURL.path, contents: nil)
    _ = fm.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = exe
    process.arguments = args
    process.currentDirectoryURL = cwd
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let stdin {
        let inURL = scratch.appendingPathComponent("stdin")
        try Data(stdin.utf8).write(to: inURL)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }

    let start = Date()
    try process.run()
    var timedOut = false
    if done.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        if done.wait(timeout: .now() + 5) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
    }
    let seconds = Date().timeIntervalSince(start)
    try? outHandle.close()
    try? errHandle.close()

    let result = RunResult(
        exit: process.terminationStatus,
        stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
        stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
        signalled: process.terminationReason == .uncaughtSignal,
        timedOut: timedOut,
        seconds: seconds)

    let command = "infra " + args.joined(separator: " ")
    if timedOut {
        Issue.record("`\(command)` did not finish within \(Int(timeout)) s and was killed\n\(result)", sourceLocation: sourceLocation)
    } else if result.signalled {
        Issue.record("`\(command)` crashed (signal \(result.exit))\n\(result)", sourceLocation: sourceLocation)
    }
    for marker in crashMarkers where result.stderr.contains(marker) {
        Issue.record("`\(command)` printed \"\(marker)\" on stderr\n\(result)", sourceLocation: sourceLocation)
    }
    return result
}

/// Whom `run` runs infra as: this process's user, or one whom file permissions bind (nobody,
/// through `setpriv`, when the tests run as root) with a copy of the executable it can reach.
enum RunAs {
    case me
    case unprivileged(URL)

    /// `.unprivileged` with the executable copied into `dir` (readable by everyone).
    static func unprivileged(copyingInto dir: URL) throws -> RunAs {
        let copy = dir.appendingPathComponent("infra")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try infraExecutable.get(), to: copy)
        chmod(dir.path, 0o755)
        chmod(copy.path, 0o755)
        return .unprivileged(copy)
    }
}

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("infra-e2e-\(UUID().uuidString)")
        .resolvingSymlinksInPath()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// Writes `files` (relative path → text) under `dir`, creating folders.
func write(_ files: [String: String], in dir: URL) throws {
    for (path, text) in files {
        try write(Data(text.utf8), to: path, in: dir)
    }
}

func write(_ data: Data, to path: String, in dir: URL) throws {
    let url = dir.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
}

// MARK: - Reading the JSON output

struct ParseFailure: Error, CustomStringConvertible {
    let description: String
}

func jsonObject(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
          let object = value as? [String: Any] else {
        throw ParseFailure(description: "output is not a JSON object:\n\(text.prefix(2000))")
    }
    return object
}

/// One finding of the JSON output, with its fields typed.
struct JSONFinding: CustomStringConvertible {
    let raw: [String: Any]
    var rule: String { raw["rule"] as? String ?? "" }
    var severity: String { raw["severity"] as? String ?? "" }
    var message: String { raw["message"] as? String ?? "" }
    var file: String? { raw["file"] as? String }
    var line: Int? { raw["line"] as? Int }
    var column: Int? { raw["column"] as? Int }
    var organisation: String? { raw["organisation"] as? String }
    var item: String? { raw["item"] as? String }
    var related: [String] { raw["related"] as? [String] ?? [] }
    var help: String? { raw["help"] as? String }
    var description: String {
        "\(severity) \(rule) \(file ?? "-"):\(line.map(String.init) ?? "-"):\(column.map(String.init) ?? "-") "
            + "\(organisation ?? "-")/\(item ?? "-") related=\(related): \(message)"
    }
}

/// The parsed `--format json` output of validate or scan.
struct Report {
    let object: [String: Any]
    let findings: [JSONFinding]
    let summary: [String: Any]

    init(_ text: String) throws {
        object = try jsonObject(text)
        guard let list = object["findings"] as? [[String: Any]] else {
            throw ParseFailure(description: "no `findings` array in:\n\(text.prefix(2000))")
        }
        findings = list.map(JSONFinding.init)
        guard let summary = object["summary"] as? [String: Any] else {
            throw ParseFailure(description: "no `summary` object in:\n\(text.prefix(2000))")
        }
        self.summary = summary
    }

    func count(_ key: String) -> Int? { summary[key] as? Int }
    var errors: [JSONFinding] { findings.filter { $0.severity == "error" } }
    var warnings: [JSONFinding] { findings.filter { $0.severity == "warning" } }
    var infos: [JSONFinding] { findings.filter { $0.severity == "info" } }
}

/// Lines of a text file, 1-based access.
struct SourceLines {
    let lines: [String]
    init(_ url: URL) throws {
        lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
    }

    /// Line and column (1-based) of `token` in the `occurrence`-th non-comment line that
    /// satisfies `matching`. Comment lines are skipped because they describe the mistakes.
    func position(of token: String, occurrence: Int = 1, where matching: (String) -> Bool) -> (line: Int, column: Int)? {
        var seen = 0
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), matching(line) else { continue }
            seen += 1
            guard seen == occurrence else { continue }
            guard let range = line.range(of: token) else { return nil }
            return (index + 1, line.distance(from: line.startIndex, to: range.lowerBound) + 1)
        }
        return nil
    }
}
