import CSQLite
import Foundation
import InfraModel

/// The steps of creating a new database's staged file (`HistoryStore.init(… staging:)`).
public enum StagingStep: Sendable {
    /// The file is about to be created under this name.
    case creating(String)
    /// It has been created.
    case created(String)
    /// That name is another file's; no file was created.
    case notCreated
}

/// The history database: snapshots of scans in one SQLite file (schema in Schema.swift and
/// docs/history.md).
///
/// Opening never damages a file that is not ours: the header, `application_id` and
/// `user_version` are read first, and only an infra database (or an empty new file) is
/// written to. Writers take the lock with `BEGIN IMMEDIATE` and wait for each other (WAL
/// journal, busy timeout), so concurrent `infra scan --save` runs both succeed; a snapshot
/// is written in one transaction and rolled back whole on any error.
public final class HistoryStore {
    public let path: String
    let db: Connection

    /// How long a writer waits for another one before giving up.
    public static let busyTimeoutMilliseconds: Int32 = 30_000

    /// Where a new database is being written until `publish` puts it at `path`; nil when
    /// the store works on `path` itself.
    public let stagingPath: String?
    private var published = false
    /// `fileState` when opened read-only (`readOnlyURI`), for `verifyUnchanged`.
    private var openedAs: [Int]?
    private let waiting: @Sendable (String) -> Void

    /// Opens the database at `path`. With `create`, a missing or empty file becomes a new
    /// database; without, a missing file is an error (the reading commands).
    ///
    /// With `stageNewFile`, a database that does not exist yet is written beside it under
    /// another name (`stagingPath`) without a rollback journal or syncs, and appears at
    /// `path` only when `publish` is called, whole: the first snapshot of a country is
    /// ~50 MB, and writing it through the WAL costs a copy and a checkpoint.
    /// `staging` follows the staged file's creation (`stageNewFile`), so that the caller can
    /// have the file deleted if the process is interrupted: there is no moment in which the
    /// file exists and the caller does not know it.
    /// `waiting` is called once when another process's lock has kept this one waiting a
    /// second (it waits up to `busyTimeoutMilliseconds`).
    public init(path: String, create: Bool, stageNewFile: Bool = false, staging: (StagingStep) -> Void = { _ in },
                waiting: @escaping @Sendable (String) -> Void = { _ in }) throws(StoreError) {
        self.path = path
        self.waiting = waiting
        var info = stat()
        let exists = stat(path, &info) == 0
        switch info.st_mode & S_IFMT {
        case _ where !exists, S_IFREG: break
        case S_IFDIR: throw StoreError(.notSQLite, "\(path): is a directory, not a history database")
        default:
            // SQLite would wait forever on a FIFO, and cannot lock /dev/null.
            throw StoreError(.notSQLite, "\(path): not a regular file (a FIFO, a device or a socket), so not a history database; give a file name")
        }
        if !exists, !create {
            throw StoreError(.missing, "\(path): no such history database; record a snapshot with `infra scan PATH --save \(path)`")
        }
        if exists { try Self.checkHeader(path) }
        // SQLite keeps its -wal and -shm files beside the database, so writing needs the
        // directory too. A reading command opens a database it cannot write read-only (a
        // shared copy for analysts); a saving one says why it cannot save.
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // A file nobody may write (chmod 444) is read-only for root too, though root could.
        let fileWritable = !exists || (access(path, W_OK) == 0 && info.st_mode & 0o222 != 0)
        let directoryWritable = access(directory, W_OK) == 0
        if create, !fileWritable {
            throw StoreError(.sqlite, "\(path): the file is read-only, so no snapshot can be saved into it; check its permissions or save elsewhere")
        }
        if create, !directoryWritable { throw Self.unwritableDirectory(directory, for: path) }
        if create, exists { try Self.checkSidecars(of: path) }
        let readOnly = !(fileWritable && directoryWritable)  // only reading commands get here so
        stagingPath = !exists && create && stageNewFile ? try Self.newStagingFile(for: path, announce: staging) : nil

        let flags = readOnly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        // Read-only with no writer's -wal file beside it: all of it is in the file (`readOnlyURI`).
        let immutable = readOnly && access(path + "-wal", F_OK) != 0
        if immutable { openedAs = Self.fileState(path) }
        do throws(StoreError) {
            db = try Connection(path: readOnly ? Self.readOnlyURI(path, immutable: immutable) : stagingPath ?? path,
                                flags: flags, name: path)
        } catch {
            if let stagingPath { unlink(stagingPath) }
            throw error
        }
        db.waitWhenBusy(upTo: Self.busyTimeoutMilliseconds, waiting: waiting)
        try db.execute("PRAGMA foreign_keys = ON")

        let identity = try identify()
        if case .empty = identity {
            guard create else {
                throw StoreError(.missing, "\(path): holds no snapshots yet; record one with `infra scan PATH --save \(path)`")
            }
            // Bigger pages: a snapshot is a few hundred thousand rows written in one go.
            try db.execute("PRAGMA page_size = 16384")
        }
        if stagingPath != nil {
            // Nobody else sees the staged file and a failure deletes it, so it needs no
            // journal on disk and no syncs; `publish` syncs it once. (MEMORY, not OFF, so
            // that ROLLBACK still works.)
            try db.execute("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
        } else if !readOnly {  // (a read-only file is read as it is)
            // WAL first, so that creating or migrating the schema is already a WAL
            // transaction (no rollback journal to write and sync).
            try Self.enableWAL(db)
            try db.execute("PRAGMA synchronous = NORMAL")
        }
        // A staged file gets a smaller cache: its pages go out to the file as a snapshot is
        // written, where `flushAhead` syncs them meanwhile.
        try db.execute("PRAGMA cache_size = \(stagingPath == nil ? -65536 : -8192); PRAGMA temp_store = MEMORY")
        switch identity {
        case .ours(let version) where readOnly && version < Schema.version:
            throw StoreError(.sqlite, "\(path): written by an older infra (schema version \(version)) and read-only here, so it cannot be brought up to version \(Schema.version); open a writable copy once (`infra history --db COPY`)")
        case .ours(let version):
            if version < Schema.version { try migrate() }
        case .empty:
            try migrate()
        }
    }

    // MARK: - Opening safely

    /// Before a save: a -wal or -shm beside the database that this user cannot write (left
    /// by a reader without write access, with its owner and the database's mode) would make
    /// the save fail after the whole scan; said now, with what to do.
    static func checkSidecars(of path: String) throws(StoreError) {
        for suffix in ["-wal", "-shm"] where access(path + suffix, F_OK) == 0 && access(path + suffix, W_OK) != 0 {
            var info = stat()
            let owner = stat(path + suffix, &info) == 0 ? " (owner uid \(info.st_uid), mode \(String(info.st_mode & 0o777, radix: 8)))" : ""
            throw StoreError(.sqlite, "\(path)\(suffix)\(owner) cannot be written by this user, so no snapshot can be saved: a reader without write access left it. "
                             + "When no infra is using the database, delete \(path)-wal and \(path)-shm, then save again")
        }
    }

    /// The database file's inode, size and modification time: a save that changes the file
    /// while an `immutable` reader reads it changes them.
    static func fileState(_ path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
    }

    /// For a database read `immutable` (without SQLite's locks): whether a save changed the
    /// file while it was read; the results may then mix its old and new pages.
    public func verifyUnchanged() throws(StoreError) {
        guard let openedAs, Self.fileState(path) != openedAs else { return }
        throw StoreError(.io, "\(path): a save changed the database while it was being read; run the command again")
    }

    /// The database opened read-only: `mode=ro`, and `immutable=1` when no writer's -wal file
    /// is there (all of it is in the file itself). Without `immutable`, SQLite would make the
    /// -wal and -shm files a WAL database needs, owned by this reader and with the database's
    /// mode, and could not remove them (a read-only connection cannot): the owner's next save
    /// could not write them. Read so, without locks, a save that starts meanwhile may change
    /// the file under the reader: `verifyUnchanged` tells.
    static func readOnlyURI(_ path: String, immutable: Bool) -> String {
        var encoded = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "%", "?", "#": encoded += String(format: "%%%02X", scalar.value)
            default: encoded.unicodeScalars.append(scalar)
            }
        }
        return "file:" + encoded + "?mode=ro" + (immutable ? "&immutable=1" : "")
    }

    /// The first 16 bytes of every SQLite database file.
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// Whether the file at `path` is an SQLite database (by its first bytes; false when it
    /// cannot be read): output files are never written over one.
    public static func isSQLiteFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: sqliteMagic.count)).map(Array.init) == sqliteMagic
    }

    /// Refuses, before SQLite opens it, a file that is not an SQLite database at all.
    static func checkHeader(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.sqlite, "\(path): cannot read the file")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return }  // an empty file: a new database
        guard header.count == 100, Array(header.prefix(16)) == sqliteMagic else {
            throw StoreError(.notSQLite, "\(path): not an SQLite database, so not an infra history database; refusing to touch it (give --db, or --save, another file name)")
        }
        if let cut = cutShort(header: Array(header), path: path) {
            throw StoreError(.corrupt, "\(path): the database is damaged (the file is cut short: it holds \(cut); a copy or download that did not finish?); refusing to touch it (restore it from a copy, or save into a new file)")
        }
    }

    /// A file shorter than its header says, or not whole pages: what it holds, else nil.
    /// (SQLite reads the missing pages as empty and goes on, so a truncated copy was read,
    /// and written into, as if sound.) Only without a write-ahead log: while one is being
    /// checkpointed, or after a crash in the middle, the file may lag its header, and SQLite
    /// completes it from the log.
    static func cutShort(header: [UInt8], path: String) -> String? {
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? nil
        guard wal == nil || wal == 0,
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil else { return nil }
        func bigEndian(_ offset: Int, _ count: Int) -> Int { header[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) } }
        let pageSize = bigEndian(16, 2) == 1 ? 65_536 : bigEndian(16, 2)
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else { return nil }
        // The page count in the header counts when the change counter and "valid for" agree.
        let pages = bigEndian(24, 4) == bigEndian(92, 4) ? bigEndian(28, 4) : 0
        let whole = size / pageSize, part = size % pageSize
        guard part != 0 || whole < pages else { return nil }
        let held = part == 0 ? "\(whole)" : String(format: "%.2f", Double(size) / Double(pageSize))
        return pages > 0 ? "\(held) of its \(pages) pages" : "\(held) pages of \(pageSize) bytes, not whole ones"
    }

    enum Identity {
        case ours(version: Int)
        case empty
    }

    /// Ours (with the schema version), a new empty database, or an error for anything else.
    private func identify() throws(StoreError) -> Identity {
        // A damaged file fails here (SQLITE_CORRUPT or SQLITE_NOTADB), before anything is written.
        let applicationID: Int64, version: Int64, objects: Int64
        // One read transaction, so that the reads below see one state of the file: each
        // statement alone is its own snapshot, and another process creating the schema
        // meanwhile would look like a foreign database (no application id, some tables).
        defer { if !db.isAutocommit { try? db.execute("COMMIT") } }
        do {
            try db.execute("BEGIN")
            applicationID = try db.integer("PRAGMA application_id") ?? 0
            version = try db.integer("PRAGMA user_version") ?? 0
            objects = try db.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        } catch where error.kind == .corrupt || error.kind == .notSQLite {
            let reason = String(cString: sqlite3_errmsg(db.handle))
            throw StoreError(error.kind, error.kind == .corrupt
                ? "\(path): the database is damaged (\(reason)); refusing to touch it (restore it from a copy, or save into a new file)"
                : "\(path): not an SQLite database (\(reason)); refusing to touch it (give --db, or --save, another file name)")
        }
        if applicationID == Int64(Schema.applicationID) {
            if version > Int64(Schema.version) {
                throw StoreError(.newerSchema, "\(path): written by a newer infra (schema version \(version); this infra reads up to \(Schema.version)); refusing to touch it (use that infra, or a newer one, for this file)")
            }
            if version < 1 && objects > 0 {
                throw StoreError(.corrupt, "\(path): an infra history database without a schema version; refusing to touch it")
            }
            try checkTables(version: Int(version))
            return version == 0 ? .empty : .ours(version: Int(version))
        }
        if applicationID == 0 && version == 0 && objects == 0 { return .empty }
        throw StoreError(.foreign, "\(path): an SQLite database, but not an infra history database (application_id \(applicationID), \(objects) schema objects); refusing to touch it (give --db, or --save, another file name)")
    }

    /// The tables the schema version promises must be there; a damaged schema is refused.
    private func checkTables(version: Int) throws(StoreError) {
        guard version >= 1 else { return }
        let s = try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        var names = Set<String>()
        while try s.step() { names.insert(s.text(0)) }
        let missing = Schema.tables(version: version).filter { !names.contains($0) }
        if !missing.isEmpty {
            throw StoreError(.corrupt, "\(path): the infra history database lacks the table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); refusing to touch it")
        }
    }

    /// Applies the missing migrations, in one transaction with the new version number.
    /// Foreign keys are off meanwhile (a migration may rebuild a table others refer to; the
    /// pragma is a no-op inside a transaction, so it is set around it) and checked before COMMIT.
    private func migrate() throws(StoreError) {
        try db.registerItemDigest()
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { try? db.execute("PRAGMA foreign_keys = ON") }
        try transaction { () throws(StoreError) in
            // Another process may have created or migrated the file while we waited for the lock.
            let applicationID = try db.integer("PRAGMA application_id") ?? 0
            var version = Int(try db.integer("PRAGMA user_version") ?? 0)
            if applicationID != Int64(Schema.applicationID) {
                let objects = try db.integer("SELECT count(*) FROM sqlite_schema") ?? 0
                guard applicationID == 0, version == 0, objects == 0 else {
                    throw StoreError(.foreign, "\(path): became a different database while opening; refusing to touch it")
                }
                try db.execute("PRAGMA application_id = \(Schema.applicationID)")
            }
            if version > Schema.version {
                throw StoreError(.newerSchema, "\(path): written by a newer infra (schema version \(version)); refusing to touch it (use that infra, or a newer one, for this file)")
            }
            let migrated = version
            while version < Schema.version {
                try db.execute(Schema.migrations[version])
                version += 1
                // What a migration needs of existing rows is checked right after it (a new
                // database has none).
                if migrated > 0, let check = Schema.checks[version],
                   let failing = try db.integer(check.query), failing > 0 {
                    throw StoreError(.corrupt, "\(path): \(failing) \(check.problem), as schema version \(version) needs; nothing changed")
                }
            }
            if migrated > 0 {
                // The rebuilt tables must still satisfy their keys (a new database has no rows).
                let s = try db.prepare("PRAGMA foreign_key_check")
                if try s.step() {
                    throw StoreError(.corrupt, "\(path): migrating to schema version \(version) broke a foreign key in \(s.text(0)); nothing changed")
                }
            }
            try db.execute("PRAGMA user_version = \(version)")
        }
    }

    /// WAL lets readers go on while one process saves. Switching needs a moment alone with
    /// the file, so a busy answer (another process opening it too) is retried.
    private static func enableWAL(_ db: Connection) throws(StoreError) {
        let deadline = Date().addingTimeInterval(Double(Self.busyTimeoutMilliseconds) / 1000)
        while true {
            do throws(StoreError) {
                let s = try db.prepare("PRAGMA journal_mode = WAL")
                _ = try s.step()
                if s.text(0).lowercased() == "wal" { return }
                throw StoreError(.sqlite, "\(db.path): cannot switch the database to WAL mode (got \(s.text(0)))")
            } catch {
                guard error.message.contains("locked") || error.message.contains("busy"), Date() < deadline else { throw error }
                usleep(20_000)
            }
        }
    }

    // MARK: - A new database, staged

    /// `PATH.new-PID` (or with a number after it), created here so that no other file is
    /// ever opened in its place.
    private static func newStagingFile(for path: String, announce: (StagingStep) -> Void) throws(StoreError) -> String {
        for attempt in 0..<100 {
            let candidate = "\(path).new-\(getpid())" + (attempt == 0 ? "" : "-\(attempt)")
            announce(.creating(candidate))
            let fd = open(candidate, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
            let failure = errno
            if fd >= 0 {
                close(fd)
                announce(.created(candidate))
                return candidate
            }
            announce(.notCreated)  // the name is another file's
            if failure != EEXIST {
                throw StoreError(.sqlite, "\(path): cannot create a new database beside it (\(String(cString: strerror(failure))))")
            }
        }
        throw StoreError(.sqlite, "\(path): cannot create a new database beside it (too many \(path).new-* files)")
    }

    deinit {
        if let stagingPath, !published { unlink(stagingPath) }
    }

    /// Staged files of `path` (`PATH.new-PID`, `PATH.new-PID-N`) whose process has ended:
    /// left by a save that crashed or was killed (SIGKILL). Infra never deletes them itself
    /// (the name alone does not prove whose a file is); `scan --save` names them.
    public static func abandonedStagingFiles(for path: String) -> [(path: String, pid: Int32)] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = url.lastPathComponent + ".new-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [(path: String, pid: Int32)] = []
        for name in names.sorted() where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (48...57).contains($0) } }),
                  let pid = Int32(parts[0]), pid > 0 else { continue }
            // kill(pid, 0): ESRCH means no such process (EPERM: it exists, someone else's).
            if kill(pid, 0) != 0 && errno == ESRCH {
                found.append((directory + "/" + name, pid))
            }
        }
        return found
    }

    /// Puts a staged new database at `path`: its bytes are flushed to disk first, then it is
    /// linked there — `link` fails rather than replace a file — so the database appears
    /// whole or not at all, and never over another process's. Returns false, with `path`
    /// untouched and the staged file deleted once the store goes, when `path` exists by now
    /// or the file system has no hard links; the caller then saves again into `path` the
    /// usual way. A store that is not staged has nothing to publish (true).
    public func publish() throws(StoreError) -> Bool {
        guard let stagingPath, !published else { return true }
        guard db.isAutocommit else {
            throw StoreError(.sqlite, "\(path): a snapshot is still being written; nothing published")
        }
        let fd = open(stagingPath, O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        guard fd >= 0, fsync(fd) == 0 else {
            throw StoreError(.sqlite, "\(path): cannot flush the new database to disk (\(String(cString: strerror(errno)))); nothing saved")
        }
        guard link(stagingPath, path) == 0 else { return false }
        published = true
        unlink(stagingPath)
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)  // the new name, durable too
            close(directory)
        }
        // The published file in WAL mode, like every database infra writes (readers go on
        // while a later save writes).
        let connection = try Connection(path: path, flags: SQLITE_OPEN_READWRITE)
        connection.waitWhenBusy(upTo: Self.busyTimeoutMilliseconds, waiting: waiting)
        try Self.enableWAL(connection)
        return true
    }

    /// Throws what `init(path:create: true)` would about the directory of `path`, without
    /// creating anything: `scan --save` says it before a long scan rather than after.
    public static func checkDirectory(for path: String) throws(StoreError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if access(directory, W_OK) != 0 { throw unwritableDirectory(directory, for: path) }
    }

    private static func unwritableDirectory(_ directory: String, for path: String) -> StoreError {
        var info = stat()
        if stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            return StoreError(.sqlite, "\(directory): no such directory for the database \(path); create it first or save elsewhere")
        }
        return StoreError(.sqlite, "\(directory): the directory is read-only, and SQLite writes its journal beside the database; save elsewhere")
    }

    /// Starts syncing what a staged file holds so far to disk, on another thread, so that
    /// `publish`'s sync has less left to wait for. Nothing for a store that is not staged.
    func flushAhead() {
        guard let stagingPath, !published else { return }
        DispatchQueue.global(qos: .utility).async {
            let fd = open(stagingPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return }  // deleted meanwhile: the save failed
            fdatasync(fd)
            close(fd)
        }
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT`; any error rolls the whole transaction back.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try db.execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try db.execute("COMMIT")
            return value
        } catch {
            if !db.isAutocommit { try? db.execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Writing

    /// Records `snapshot` and returns its id. All or nothing (see `SnapshotWriter`). A staged
    /// store (`stagingPath`) still needs `publish` to put the database at its path.
    @discardableResult
    public func save(_ snapshot: Snapshot) throws(StoreError) -> Int64 {
        // Every dependency is placed among the snapshot's own items before anything is
        // written; a reference outside them is an error.
        let edges: [UInt64]
        do throws(EdgeProblem) {
            edges = try snapshot.positionalEdges()
        } catch {
            throw StoreError(.sqlite, "\(path): \(error.message); nothing saved")
        }
        let writer = try SnapshotWriter(self)
        try writer.model(ModelSource(snapshot.organisations), packed: edges)
        try writer.findings(snapshot.findings)
        try writer.coverage(snapshot.coverage)
        return try writer.commit(snapshot.info)
    }

    // MARK: - Reading

    private static let infoColumns = """
        id, taken_at, paths, git_commit, tool_version, national, settings, files, organisations, items, dependencies, errors, warnings, infos
        """

    private func info(_ s: Statement) -> SnapshotInfo {
        SnapshotInfo(id: s.int64(0), takenAt: Timestamp.parse(s.text(1)) ?? Date(timeIntervalSince1970: 0),
                     paths: JSONText.parseArray(s.text(2)), gitCommit: s.optionalText(3), toolVersion: s.text(4),
                     national: s.bool(5), settings: s.text(6), files: s.int(7), organisations: s.int(8), items: s.int(9),
                     dependencies: s.int(10), errors: s.int(11), warnings: s.int(12), infos: s.int(13))
    }

    /// Every snapshot, oldest first.
    public func snapshots() throws(StoreError) -> [SnapshotInfo] {
        let s = try db.prepare("SELECT \(Self.infoColumns) FROM snapshots ORDER BY id")
        var out: [SnapshotInfo] = []
        while try s.step() { out.append(info(s)) }
        return out
    }

    /// Per snapshot but the first: how many of its scanned (not national) organisations are
    /// new or changed since the snapshot before it (versions that snapshot did not hold).
    public func changedOrganisations() throws(StoreError) -> [Int64: Int] {
        let s = try db.prepare("""
            SELECT s.id, (SELECT count(*) FROM snapshot_organisations so
                          JOIN organisation_versions v ON v.id = so.organisation_version_id
                          WHERE so.snapshot_id = s.id AND v.national = 0
                            AND NOT EXISTS (SELECT 1 FROM snapshot_organisations q
                                            WHERE q.organisation_version_id = so.organisation_version_id AND q.snapshot_id = p.id))
            FROM snapshots s JOIN snapshots p ON p.id = (SELECT max(id) FROM snapshots WHERE id < s.id)
            """)
        var out: [Int64: Int] = [:]
        while try s.step() { out[s.int64(0)] = s.int(1) }
        return out
    }

    public func snapshotInfo(_ id: Int64) throws(StoreError) -> SnapshotInfo {
        let s = try db.prepare("SELECT \(Self.infoColumns) FROM snapshots WHERE id = ?")
        s.bind(1, id)
        guard try s.step() else {
            throw StoreError(.notFound, "\(path): no snapshot \(id); `infra history --db \(path)` lists them")
        }
        return info(s)
    }

    /// The ids of the last `count` snapshots, oldest first.
    public func latestIDs(_ count: Int) throws(StoreError) -> [Int64] {
        let s = try db.prepare("SELECT id FROM snapshots ORDER BY id DESC LIMIT ?")
        s.bind(1, count)
        var out: [Int64] = []
        while try s.step() { out.append(s.int64(0)) }
        return out.reversed()
    }

    /// A whole snapshot back as values. Dependencies come back in item order, not in the
    /// order of the inventory's `depends_on` lists.
    public func load(_ id: Int64) throws(StoreError) -> Snapshot {
        let info = try snapshotInfo(id)
        let stored = try storedOrganisations(id)
        var organisations: [ExportedOrganisation] = stored.map { o in
            ExportedOrganisation(id: o.organisation, name: o.header.name, type: o.header.type, code: o.header.code,
                                 county: o.header.county, orgNumber: o.header.orgNumber, parent: o.header.parent,
                                 members: o.header.members, national: o.header.national, files: o.files, items: [])
        }
        var paths: [Int64: String] = [:]
        let p = try db.prepare("SELECT id, path FROM files")
        while try p.step() { paths[p.int64(0)] = p.text(1) }

        let s = try db.prepare("""
            SELECT id, organisation_version_id, item, layer, name, capability, status, end_of_support, product, vendor, standards,
                   critical, coverage, reviewed, sensitivity, tags, notes, file_id, line
            FROM item_versions WHERE id BETWEEN ? AND ? ORDER BY id
            """)
        // Values that repeat from row to row (capabilities, vendors, the enums) are made into
        // Strings once and reused while they stay the same.
        var capabilities = TextCache(), vendors = TextCache()
        var layers = TextCache(), statuses = TextCache(), sensitivities = TextCache()
        var layer = Layer.services, status = ItemStatus.active, sensitivity = Sensitivity.internal
        for (oi, o) in stored.enumerated() {
            organisations[oi].items.reserveCapacity(o.count)
            try readItems(of: o, snapshot: id, s) { () throws(StoreError) in
                if let text = layers.changed(s, 3) { layer = Layer(rawValue: text) ?? .services }
                if let text = statuses.changed(s, 6) { status = ItemStatus(rawValue: text) ?? .active }
                if let text = sensitivities.changed(s, 14) { sensitivity = Sensitivity(rawValue: text) ?? .internal }
                organisations[oi].items.append(ExportedItem(
                    id: s.text(2), layer: layer, name: s.text(4),
                    capability: capabilities.value(s, 5), status: status,
                    endOfSupport: s.optionalText(7), product: s.optionalText(8), vendor: vendors.value(s, 9),
                    standards: s.text(10, equals: "[]") ? [] : JSONText.parseArray(s.text(10)), critical: s.bool(11), dependsOn: [],
                    coverage: s.text(12, equals: "{}") ? [] : JSONText.parseObject(s.text(12)), reviewed: s.optionalText(13),
                    sensitivity: sensitivity, tags: s.text(15, equals: "[]") ? [] : JSONText.parseArray(s.text(15)),
                    notes: s.optionalText(16), file: paths[s.int64(17)] ?? "", line: s.int(18)))
            }
        }

        var refs: [String] = []
        var owner: [(org: Int, item: Int)] = []
        refs.reserveCapacity(info.items)
        for (oi, o) in organisations.enumerated() {
            for (k, item) in o.items.enumerated() {
                refs.append(o.id + "/" + item.id)
                owner.append((oi, k))
            }
        }
        for e in try storedEdges(stored, snapshot: id, ref: { refs[$0] }) {
            let from = owner[Int(e >> 32)]
            organisations[from.org].items[from.item].dependsOn.append(refs[Int(e & 0xFFFF_FFFF)])
        }

        let findings = try findingRows(snapshot: id).map(\.finding)

        let coverage = try coverageRecords("WHERE snapshot_id = ?", [.int(id)]).map(\.record)
        return Snapshot(info: info, organisations: organisations, findings: findings, coverage: coverage)
    }

    /// One organisation of a stored snapshot: its version, header, and where its items are.
    struct StoredOrganisation {
        var version: Int64
        var organisation: String
        var header: OrganisationHeader
        var files: [String]
        /// Its item rows are `firstRow ..< firstRow + count`.
        var firstRow: Int64
        var count: Int
        /// The position of its first item among the snapshot's items.
        var start: Int
    }

    /// The organisations of snapshot `id`, in order.
    func storedOrganisations(_ id: Int64) throws(StoreError) -> [StoredOrganisation] {
        let o = try db.prepare("""
            SELECT v.id, v.organisation, v.name, v.type, v.code, v.county, v.org_number, v.parent, v.members, v.national, v.files,
                   v.items, v.first_item_id
            FROM snapshot_organisations so JOIN organisation_versions v ON v.id = so.organisation_version_id
            WHERE so.snapshot_id = ? ORDER BY so.position
            """)
        o.bind(1, id)
        var out: [StoredOrganisation] = []
        var start = 0
        while try o.step() {
            let count = o.int(11)
            if count > 0 && o.isNull(12) {
                throw StoreError(.corrupt, "\(path): snapshot \(id) lists `\(o.text(1))` with \(count) items, but they are missing")
            }
            out.append(StoredOrganisation(
                version: o.int64(0), organisation: o.text(1),
                header: OrganisationHeader(
                    name: o.text(2), type: o.optionalText(3), code: o.optionalText(4), county: o.optionalText(5),
                    orgNumber: o.optionalText(6), parent: o.optionalText(7), members: JSONText.parseArray(o.text(8)),
                    national: o.bool(9)),
                files: JSONText.parseArray(o.text(10)), firstRow: o.isNull(12) ? 0 : o.int64(12), count: count, start: start))
            start += count
        }
        return out
    }

    /// Steps `s` (`… FROM item_versions WHERE id BETWEEN ? AND ? ORDER BY id`, column 1 the
    /// organisation version) over the items of `o`, calling `row` for each; they must be
    /// exactly its `count` consecutive rows.
    func readItems(of o: StoredOrganisation, snapshot id: Int64, _ s: Statement,
                   _ row: () throws(StoreError) -> Void) throws(StoreError) {
        guard o.count > 0 else { return }
        s.bind(1, o.firstRow)
        s.bind(2, o.firstRow + Int64(o.count) - 1)
        var read = 0
        while try s.step() {
            guard s.int64(1) == o.version else { break }
            try row()
            read += 1
        }
        s.reset()
        guard read == o.count else {
            throw StoreError(.corrupt, "\(path): snapshot \(id): the items of `\(o.organisation)` are not where its version says")
        }
    }

    /// The dependencies of snapshot `id` as `from << 32 | to` positions among its items,
    /// sorted. A row depended on that belongs to another version of its organisation (an
    /// organisation unchanged since a snapshot in which the other one was different) is
    /// found by name: `ref(position)` is `org/item` of the snapshot's item at a position.
    func storedEdges(_ organisations: [StoredOrganisation], snapshot id: Int64,
                     ref: (Int) -> String) throws(StoreError) -> [UInt64] {
        // The snapshot's row ranges, sorted, to turn a row id into a position.
        let ranges = organisations.filter { $0.count > 0 }.sorted { $0.firstRow < $1.firstRow }
        func position(_ row: Int64) -> Int? {
            var low = 0, high = ranges.count
            while low < high {
                let mid = (low + high) / 2
                if ranges[mid].firstRow <= row { low = mid + 1 } else { high = mid }
            }
            guard low > 0 else { return nil }
            let r = ranges[low - 1]
            return row < r.firstRow + Int64(r.count) ? r.start + Int(row - r.firstRow) : nil
        }
        var edges: [UInt64] = []
        var elsewhere: [(from: Int, row: Int64)] = []
        let d = try db.prepare("SELECT from_item_id, to_item_id FROM item_dependencies WHERE from_item_id BETWEEN ? AND ?")
        for o in organisations where o.count > 0 {
            d.bind(1, o.firstRow)
            d.bind(2, o.firstRow + Int64(o.count) - 1)
            while try d.step() {
                let from = o.start + Int(d.int64(0) - o.firstRow)
                if let to = position(d.int64(1)) {
                    edges.append(UInt64(from) << 32 | UInt64(to))
                } else {
                    elsewhere.append((from, d.int64(1)))
                }
            }
            d.reset()
        }
        if !elsewhere.isEmpty {
            var byRef: [String: Int] = [:]
            let total = organisations.last.map { $0.start + $0.count } ?? 0
            byRef.reserveCapacity(total)
            for k in 0..<total { byRef[ref(k)] = k }
            let name = try db.prepare("""
                SELECT v.organisation || '/' || i.item FROM item_versions i
                JOIN organisation_versions v ON v.id = i.organisation_version_id WHERE i.id = ?
                """)
            var found: [Int64: Int] = [:]
            for e in elsewhere {
                if found[e.row] == nil {
                    name.bind(1, e.row)
                    let to = try name.step() ? byRef[name.text(0)] : nil
                    name.reset()
                    guard let to else {
                        throw StoreError(.corrupt, "\(path): snapshot \(id) has a dependency leaving its items")
                    }
                    found[e.row] = to
                }
                edges.append(UInt64(e.from) << 32 | UInt64(found[e.row]!))
            }
        }
        edges.sort()
        return edges
    }

    func coverageRecords(_ filter: String, _ parameters: [Binding]) throws(StoreError) -> [(snapshot: Int64, record: CoverageRecord)] {
        let s = try db.prepare("""
            SELECT snapshot_id, kind, term, name, layer, organisation_type, covered, inventoried, total, population_covered, population_total
            FROM coverage \(filter) ORDER BY snapshot_id, id
            """)
        try s.bind(parameters)
        var out: [(snapshot: Int64, record: CoverageRecord)] = []
        while try s.step() {
            out.append((s.int64(0), CoverageRecord(
                term: s.text(2), isStandard: s.text(1) == "standard", name: s.text(3), layer: s.optionalText(4),
                organisationType: s.text(5), covered: s.int(6), inventoried: s.int(7), total: s.optionalInt(8),
                populationCovered: s.optionalInt(9), populationTotal: s.optionalInt(10))))
        }
        return out
    }

    /// The last text read from a column, kept as a String while the rows repeat it.
    struct TextCache {
        var last: String?
        var isNull = true
        var primed = false

        /// The column's value, reusing the previous String when the bytes are the same.
        mutating func value(_ s: Statement, _ column: Int32) -> String? {
            if s.isNull(column) {
                primed = true
                isNull = true
                last = nil
                return nil
            }
            if primed, !isNull, let last, s.text(column, equals: last) { return last }
            let text = s.text(column)
            primed = true
            isNull = false
            last = text
            return text
        }

        /// The column's value when it differs from the previous row's, else nil.
        mutating func changed(_ s: Statement, _ column: Int32) -> String? {
            if primed, !isNull, let last, s.text(column, equals: last) { return nil }
            return value(s, column) ?? ""
        }
    }

    /// A capability's (or standard's) coverage in every snapshot, oldest first.
    public func trend(_ term: String) throws(StoreError) -> [TrendPoint] {
        let infos = Dictionary(uniqueKeysWithValues: try snapshots().map { ($0.id, $0) })
        return try coverageRecords("WHERE term = ?", [.text(term)]).compactMap { row in
            infos[row.snapshot].map { TrendPoint(snapshot: $0, record: row.record) }
        }
    }

    /// Every capability and standard id recorded in any snapshot (for did-you-mean).
    public func terms() throws(StoreError) -> [String] {
        let s = try db.prepare("SELECT DISTINCT term FROM coverage")
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }

    /// `PRAGMA quick_check`: nil when the file is sound, else SQLite's first complaint.
    public func quickCheck() throws(StoreError) -> String? {
        let s = try db.prepare("PRAGMA quick_check(1)")
        guard try s.step() else { return nil }
        let answer = s.text(0)
        return answer == "ok" ? nil : answer
    }
}

extension HistoryStore {
    /// A snapshot's findings with their fingerprints, in the order they were saved.
    func findingRows(snapshot id: Int64) throws(StoreError) -> [(fingerprint: String, finding: Finding)] {
        var findings: [(fingerprint: String, finding: Finding)] = []
        let f = try db.prepare("""
            SELECT fingerprint, rule, severity, message, file, line, "column", organisation, item, related, help
            FROM snapshot_findings sf JOIN finding_records f ON f.id = sf.finding_id WHERE sf.snapshot_id = ? ORDER BY sf.position
            """)
        f.bind(1, id)
        while try f.step() {
            var finding = Finding(rule: RuleID(rawValue: f.text(1)), severity: Severity(rawValue: f.text(2)) ?? .error,
                                  message: f.text(3), file: f.optionalText(4), organisation: f.optionalText(7),
                                  item: f.optionalText(8), related: JSONText.parseArray(f.text(9)), help: f.optionalText(10))
            finding.line = f.optionalInt(5)
            finding.column = f.optionalInt(6)
            // A finding with a suggestion, saved when fingerprints held it, gets the fingerprint
            // it has now, so that it compares with one saved since.
            let suggests = finding.related.isEmpty && finding.message.contains(" — ")
            findings.append((suggests ? Fingerprint.of(finding) : f.text(0), finding))
        }
        return findings
    }
}
