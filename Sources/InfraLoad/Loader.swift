import Foundation
import InfraModel

/// What reading one file gave.
public struct FileResult: Sendable {
    public var path: String
    public var inventory: Inventory?
    public var findings: [Finding]
    /// Set when the file is YAML but not an inventory; it is skipped with a note.
    public var skippedReason: String?
    /// When the file could not be read to the end: the organisation whose header came before
    /// the break, whose items in it are missing from the scan.
    public var unreadOrganisation: String? = nil
}

/// A problem with the paths themselves (missing, unreadable): exit code 2, not a finding.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum Loader {
    /// Parses YAML text as an inventory. `path` is only used to label findings.
    public static func parse(bytes: [UInt8], path: String, limits: ReadLimits = .standard) -> FileResult {
        bytes.withUnsafeBufferPointer { parse(buffer: $0, path: path, limits: limits) }
    }

    /// Parses bytes in place (a file's contents are never copied into a second buffer).
    static func parse(buffer: UnsafeBufferPointer<UInt8>, path: String, limits: ReadLimits) -> FileResult {
        var result = FileResult(path: path, inventory: nil, findings: [], skippedReason: nil)
        var inventoryLike: Finding?
        if let problem = encodingProblem(buffer) {
            result.findings.append(Finding(rule: .fileEncoding, severity: .error, message: problem, file: path,
                                           position: TextPosition(line: 1, column: 1),
                                           help: "save the file as UTF-8 (without a byte-order mark)"))
            return result
        }
        do {
            // Skip a UTF-8 byte-order mark: harmless, and some Windows editors write one.
            let body = buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF
                ? UnsafeBufferPointer(rebasing: buffer[3...]) : buffer
            let reader = EventReader(bytes: body, limits: limits)
            let parser = InventoryParser(reader: reader, file: path)
            do throws(ReadError) {
                switch try parser.parse() {
                case .inventory(let inventory): result.inventory = inventory
                case .skipped(let reason, let warning):
                    result.skippedReason = reason
                    inventoryLike = warning
                case .unusable: break
                }
                result.findings = parser.findings
            } catch {
                let stop = Finding(rule: error.rule, severity: .error, message: error.message, file: path,
                                   position: error.position, help: error.help)
                if error.rule == .yamlSyntax || error.rule == .fileEncoding, !Self.hasTopLevelKey("inventory", in: body) {
                    // Broken YAML, or a file in another encoding, that never says it is an
                    // inventory (a Helm template, another project's file): the schema
                    // findings of what was read mean nothing.
                    result.findings = parser.findingsBesideSyntaxError() + [stop]
                } else {
                    parser.attributeFindings()
                    result.findings = parser.findings + [stop]
                    // Whose items the break leaves out (a dangling reference's help names the file).
                    result.unreadOrganisation = parser.headerID
                    result.findings = error.withoutFindingsItCaused(result.findings)
                }
            }
        }
        result.findings = Finding.mergingRepeats(result.findings)
        if let reason = result.skippedReason {
            // Schema findings made while guessing mean nothing for a file that is not an inventory.
            result.findings = [inventoryLike ?? Finding(rule: .notAnInventory, severity: .info,
                                                        message: "skipped: \(reason)", file: path,
                                                        help: "inventories start with `inventory: 1`; other YAML files are ignored")]
        }
        return result
    }

    /// Whether a line starts with `key:` (spaces allowed before the colon): read from the
    /// bytes, for a file the YAML parser could not read to the end.
    static func hasTopLevelKey(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = Array(key.utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            var i = lineStart, k = 0
            while k < name.count, i < bytes.count, bytes[i] == name[k] { i += 1; k += 1 }
            if k == name.count {
                while i < bytes.count, bytes[i] == 0x20 { i += 1 }
                if i < bytes.count, bytes[i] == UInt8(ascii: ":") { return true }
            }
            while lineStart < bytes.count, bytes[lineStart] != 0x0A { lineStart += 1 }
            lineStart += 1
        }
        return false
    }

    /// UTF-16/32 files start with a byte-order mark libyaml would otherwise accept;
    /// the format is UTF-8, so say so plainly.
    static func encodingProblem(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        if b.count >= 4, (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) {
            return "the file is UTF-32; inventories are UTF-8"
        }
        if b.count >= 2, (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) {
            return "the file is UTF-16; inventories are UTF-8"
        }
        // UTF-16 without a byte-order mark: ASCII text with a NUL beside every character.
        if b.count >= 8 {
            let pairs = min(b.count / 2, 64)
            let evenNUL = (0..<pairs).filter { b[2 * $0] == 0 }.count, oddNUL = (0..<pairs).filter { b[2 * $0 + 1] == 0 }.count
            if max(evenNUL, oddNUL) * 4 >= pairs * 3, min(evenNUL, oddNUL) == 0 {
                return "the file looks like UTF-16 (\(oddNUL > evenNUL ? "little" : "big")-endian, a NUL byte beside every letter); inventories are UTF-8"
            }
        }
        return nil
    }

    /// Expands files and directories (recursively) into YAML files, sorted, each file once.
    public static func yamlFiles(in paths: [String]) throws(InputError) -> [String] {
        let fm = FileManager.default
        var out: [FoundFile] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                if path == "-" {
                    throw InputError("-: no such file; to read standard input, name it /dev/stdin (`generate | infra validate /dev/stdin`)")
                }
                if let broken = brokenLink(path) { throw InputError("\(path): " + broken) }
                throw InputError("\(path): no such file or directory")
            }
            if isDir.boolValue {
                let found = try filesUnder(path)
                // An empty directory is almost always a mistyped path in a CI job.
                guard !found.isEmpty else { throw InputError("\(path): no .yaml or .yml files in this directory") }
                out += found.sorted { $0.path < $1.path }
            } else {
                out.append(FoundFile(path))
            }
        }
        // Each file once, however it was reached: `inv`, `./inv` and `/abs/inv` list the same
        // files under three spellings, and a link is the file it points to. Read twice, a
        // file would clash with itself (every id a duplicate).
        var seen = Set<FoundFile.Identity>()
        return out.filter { seen.insert($0.identity).inserted }.map(\.path)
    }

    /// "a symbolic link to X, which does not exist" when `path` is such a link; else nil.
    static func brokenLink(_ path: String) -> String? {
        var link = stat(), followed = stat()
        guard lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, FileIdentity(path: path) == nil,
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        if stat(path, &followed) != 0, errno == ELOOP {
            return "a symbolic link to \(target), which leads back to itself (a loop of links)"
        }
        return "a symbolic link to \(target), which does not exist"
    }

    /// Whether a name found in a directory is a YAML file's: `.yaml` or `.yml`, in any case
    /// (`.YAML` from Windows tools).
    static func isYAMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// The YAML files under a directory, at any depth. Links are followed, to directories as
    /// well, each directory walked once (a link loop ends there); names starting with "." are
    /// left out. A directory named like a YAML file is walked as a directory. A YAML name that
    /// stat cannot find (a broken link) stays in, so that reading it says what it is.
    private static func filesUnder(_ root: String) throws(InputError) -> [FoundFile] {
        var found: [FoundFile] = []
        var walked = Set<FileIdentity>()
        if let root = FileIdentity(path: root) { walked.insert(root) }
        var pending = [root]
        while let directory = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                let why = access(directory, R_OK | X_OK) == 0 ? "" : " (\(String(cString: strerror(errno)).lowercased()))"
                throw InputError("\(directory): cannot read this directory\(why)")
            }
            for name in names where !name.hasPrefix(".") {
                // `infra scan .` names files `examples/x.yaml`, as SARIF and git do, not `./examples/x.yaml`.
                let path = directory == "." || directory == "./" ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard stat(path, &info) == 0 else {
                    if isYAMLName(name) { found.append(FoundFile(path)) }
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if walked.insert(FileIdentity(info)).inserted { pending.append(path) }
                case S_IFREG where isYAMLName(name):
                    found.append(FoundFile(path, info))
                default:
                    // Not a FIFO (the read would block forever) nor a link to a device
                    // (/dev/zero never ends).
                    continue
                }
            }
        }
        return found
    }

    /// A path found, and the file it is (`stat(2)`, following links).
    private struct FoundFile {
        /// Device and inode, or the path when `stat` cannot tell.
        enum Identity: Hashable {
            case inode(FileIdentity)
            case path(String)
        }

        let path: String
        let identity: Identity

        init(_ path: String) {
            self.path = path
            identity = FileIdentity(path: path).map(Identity.inode) ?? .path(path)
        }

        /// One the walk has already stat'ed.
        init(_ path: String, _ info: stat) {
            self.path = path
            identity = .inode(FileIdentity(info))
        }
    }

    /// Reads and parses files on all cores. Unreadable files are input errors.
    public static func load(files: [String], limits: ReadLimits = .standard) throws(InputError) -> [FileResult] {
        let results = ParallelSlots<Result<FileResult, InputError>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, loadFile(files[i], limits: limits))
        }
        var out: [FileResult] = []
        out.reserveCapacity(files.count)
        for r in results.values {
            switch r {
            case .success(let file): out.append(file)
            case .failure(let error): throw error
            case nil: throw InputError("internal: a file was not read")
            }
        }
        return out
    }

    static func loadFile(_ path: String, limits: ReadLimits) -> Result<FileResult, InputError> {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let failure = errno  // (before the calls below change it)
            // A broken link met in a directory: said, and the other files read.
            if let reason = brokenLink(path) {
                return .success(FileResult(path: path, inventory: nil, findings: [
                    Finding(rule: .notAnInventory, severity: .info, message: "skipped: " + reason, file: path,
                            help: "point the link at an existing file, or delete it"),
                ], skippedReason: reason))
            }
            // A directory listing turns bytes that are not UTF-8 into U+FFFD, and that name
            // then opens nothing.
            if path.contains("\u{FFFD}") {
                return .failure(InputError("\(path): cannot open file: its name is not valid UTF-8 (shown with �); rename it"))
            }
            return .failure(InputError("\(path): cannot open file for reading (\(String(cString: strerror(failure))))"
                + (failure == EACCES ? "; check its permissions, or leave it out of the paths given" : "")))
        }
        defer { try? handle.close() }
        do {
            // Read one byte past the limit so an oversize file is recognised without reading all of it.
            let data = try handle.read(upToCount: limits.maxFileBytes + 1) ?? Data()
            if data.count > limits.maxFileBytes {
                return .success(FileResult(path: path, inventory: nil, findings: [
                    Finding(rule: .yamlLimit, severity: .error,
                            message: "the file is larger than the \(limits.maxFileBytes)-byte limit (\(limits.maxFileBytes >> 20) MiB)", file: path,
                            position: TextPosition(line: 1, column: 1),
                            help: "split the organisation's inventory over several files"),
                ], skippedReason: nil))
            }
            return .success(data.withUnsafeBytes { parse(buffer: $0.bindMemory(to: UInt8.self), path: path, limits: limits) })
        } catch {
            return .failure(InputError("\(path): \(error.localizedDescription)"))
        }
    }
}

/// A file by device and inode: the same file whatever path names it, links followed.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(_ info: stat) { (device, inode) = (UInt64(info.st_dev), UInt64(info.st_ino)) }

    /// The file at `path`, or nil when `stat(2)` cannot tell (no such file, no permission).
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}

extension ReadError {
    /// `findings` without those that are this break's doing, per its `aftermath`.
    func withoutFindingsItCaused(_ findings: [Finding]) -> [Finding] {
        var findings = findings
        switch aftermath {
        case .continuesLineAbove?:
            // `- id: datacenter` over `      name: X`: the id read as "datacenter name" is the
            // break's doing, and its bad-id would send the user the wrong way. (A key's own
            // finding on that line, such as an unknown key, stays.)
            let above = Int(position.line) - 1
            findings.removeAll { $0.line == above && $0.rule != .unknownKey && $0.rule != .duplicateKey }
        case .endsItemAbove?:
            // `name:` at the column of the list's `-`: the item above ended before it, and its
            // "no `name`" is what the misplaced line says. (Missing fields are reported at the
            // item's start: the last such start before the break is that item.)
            let line = Int(position.line)
            if let start = findings.filter({ $0.rule == .missingRequired && ($0.line ?? .max) < line }).compactMap(\.line).max() {
                findings.removeAll { $0.rule == .missingRequired && $0.line == start }
            }
        case nil:
            break
        }
        return findings
    }
}
