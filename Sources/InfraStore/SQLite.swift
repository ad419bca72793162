import CSQLite
import Foundation

// A thin layer over the SQLite C API: one connection, prepared statements with bound
// parameters, errors as values. Nothing here knows the schema (see Schema.swift).

/// What went wrong with a history database. Every case is a problem with the file or its
/// contents, so the commands report it as an input problem (exit code 2).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The path does not exist (commands that only read a database).
        case missing
        /// The file exists but is not an SQLite database.
        case notSQLite
        /// An SQLite database, but not one `infra` wrote.
        case foreign
        /// An infra database written by a newer infra (a schema version this one does not know).
        case newerSchema
        /// SQLite reports the file as damaged.
        case corrupt
        /// A snapshot id or capability that is not in the database.
        case notFound
        /// Reading or writing the file failed (SQLITE_IOERR). Opening a database that another
        /// process has just published can meet this while that process sets up its WAL files.
        case io
        /// Any other SQLite error (locked for too long, disk full, permissions …).
        case sqlite
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// SQLite's "copy the value now" destructor, as Swift sees it.
private var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// One open SQLite connection. Not thread-safe: use it from one thread at a time.
final class Connection {
    let handle: OpaquePointer
    let path: String
    /// The rows `infra_rows` reads (RowFeed.swift), while a `BatchInsert` inserts them.
    var feed: RowBatch?
    var rowFeedRegistered = false

    /// `name`: the path messages show (`path` itself unless the file is staged elsewhere).
    init(path: String, flags: Int32, name: String? = nil) throws(StoreError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw StoreError(.sqlite, "\(name ?? path): cannot open the database: \(message)")
        }
        handle = db
        self.path = name ?? path
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ doing: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        let primary = rc & 0xFF
        switch primary {
        case SQLITE_NOTADB: return StoreError(.notSQLite, "\(path): not an SQLite database (\(message))")
        // What was being done (`doing`, SQL) means nothing to the user here: what to do does.
        case SQLITE_CORRUPT: return StoreError(.corrupt, "\(path): the database is damaged (\(message)); restore it from a copy, or save into a new file")
        case SQLITE_READONLY:
            return StoreError(.sqlite, "\(path): \(message); check that this user may write the file, its directory and its -wal and -shm files")
        case SQLITE_IOERR: return StoreError(.io, "\(path): \(message) while \(doing)")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(.sqlite, "\(path): the database stayed locked by another process while \(doing) (\(message))")
        default: return StoreError(.sqlite, "\(path): \(message) while \(doing)")
        }
    }

    /// Runs one or more statements without parameters or results.
    func execute(_ sql: String) throws(StoreError) {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if let errmsg { sqlite3_free(errmsg) }
        guard rc == SQLITE_OK else { throw error(rc, "running \(sql.prefix(60))") }
    }

    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, "preparing \(sql.prefix(60))") }
        return Statement(stmt, connection: self)
    }

    /// The first column of the first row of `sql`, as an integer (nil when there is no row).
    func integer(_ sql: String, _ parameters: [Binding] = []) throws(StoreError) -> Int64? {
        let s = try prepare(sql)
        try s.bind(parameters)
        guard try s.step() else { return nil }
        return s.isNull(0) ? nil : s.int64(0)
    }

    /// Waits up to `milliseconds` for another process's lock, as `sqlite3_busy_timeout` does,
    /// and calls `waiting` once when the wait has lasted a second: a save queued behind
    /// another one may wait half a minute, and should not look hung meanwhile.
    func waitWhenBusy(upTo milliseconds: Int32, waiting: @escaping @Sendable (String) -> Void) {
        busyWait = BusyWait(limit: Double(milliseconds) / 1000, path: path, waiting: waiting)
        sqlite3_busy_handler(handle, { context, attempt in
            guard let context else { return 0 }
            return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue().retry(attempt) ? 1 : 0
        }, Unmanaged.passUnretained(busyWait!).toOpaque())
    }

    /// Kept here for as long as SQLite holds a pointer to it.
    private var busyWait: BusyWait?

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }
}

/// One connection's wait for a lock: SQLite asks `retry` each time it meets one, with the
/// number of times it has asked for this lock before (0 starts a new wait).
final class BusyWait {
    let limit: Double
    let path: String
    let waiting: @Sendable (String) -> Void
    private var started = Date()
    private var announced = false

    init(limit: Double, path: String, waiting: @escaping @Sendable (String) -> Void) {
        self.limit = limit
        self.path = path
        self.waiting = waiting
    }

    /// Whether to try again (after a pause), as SQLite's own busy timeout would.
    func retry(_ attempt: Int32) -> Bool {
        if attempt == 0 { started = Date() }
        let waited = Date().timeIntervalSince(started)
        guard waited < limit else { return false }
        if waited >= 1, !announced {
            announced = true
            waiting("\(path): another process is writing the database; waiting for it (up to \(Int(limit)) s)")
        }
        usleep(UInt32(attempt < Self.pauses.count ? Self.pauses[Int(attempt)] : 100) * 1000)
        return true
    }

    /// Milliseconds between tries, as SQLite's own busy timeout makes them: short at first,
    /// for the common short lock, then 0.1 s.
    private static let pauses: [Int32] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50]
}

/// A value bound to a statement parameter.
enum Binding {
    case int(Int64)
    case text(String)
    case double(Double)
    case null
}

/// A prepared statement, reused across rows: bind, step, reset.
final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection

    init(_ handle: OpaquePointer, connection: Connection) {
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        var text = value
        text.withUTF8 { buffer in
            // A zero-length buffer may have no address; SQLite needs one for '' (not NULL).
            guard let base = buffer.baseAddress else {
                _ = sqlite3_bind_text(handle, index, "", 0, transient)
                return
            }
            _ = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                sqlite3_bind_text(handle, index, $0, Int32(buffer.count), transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Int?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
    }

    func bind(_ index: Int32, _ value: Double?) {
        guard let value else { sqlite3_bind_null(handle, index); return }
        sqlite3_bind_double(handle, index, value)
    }

    func bind(_ values: [Binding]) throws(StoreError) {
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            switch v {
            case let .int(x): sqlite3_bind_int64(handle, index, x)
            case let .text(x): bind(index, x)
            case let .double(x): sqlite3_bind_double(handle, index, x)
            case .null: sqlite3_bind_null(handle, index)
            }
        }
    }

    /// Advances to the next row: true when there is one, false when done.
    @discardableResult
    func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
            throw connection.error(rc, "running \(sql.prefix(60))")
        }
    }

    /// Runs an INSERT/UPDATE to completion and makes the statement ready for the next row.
    func run() throws(StoreError) {
        defer { sqlite3_reset(handle) }
        try step()
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(handle, column) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Whether the column's text is `value`, without making a String of it.
    func text(_ column: Int32, equals value: String) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let n = Int(sqlite3_column_bytes(handle, column))
        var value = value
        return value.withUTF8 { utf8 in
            utf8.count == n && (n == 0 || memcmp(utf8.baseAddress!, p, n) == 0)
        }
    }

    func optionalText(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}

extension Binding {
    static func text(_ value: String?) -> Binding { value.map { .text($0) } ?? .null }
    static func int(_ value: Int?) -> Binding { value.map { .int(Int64($0)) } ?? .null }
    static func bool(_ value: Bool) -> Binding { .int(value ? 1 : 0) }
}

/// Inserts rows many at a time: they are collected in a `RowBatch` and inserted by one
/// `INSERT INTO t (a, b) SELECT c0, c1 FROM infra_rows` per batch (see RowFeed.swift),
/// which costs SQLite one program start for hundreds of rows and no parameter binding.
/// Rows are announced (`announce`) before they are added, so that a row too many, or a
/// row missing at `finish`, is an error rather than a snapshot with rows lost.
final class BatchInsert {
    private let connection: Connection
    private let head: String
    private let batch: RowBatch
    private var statement: Statement?
    /// Rows announced and not yet added.
    private var remaining = 0

    /// `head`: `INSERT INTO table (columns…)`; `columns` values per row.
    init(_ connection: Connection, _ head: String, columns: Int, rowsPerBatch: Int = 1024) {
        self.connection = connection
        self.head = head
        batch = RowBatch(columns: columns, capacity: rowsPerBatch)
    }

    /// `count` more rows will be added.
    func announce(_ count: Int) throws(StoreError) {
        remaining += count
    }

    // Values come in column order; `column` (1-based within the row) catches one given out of order.
    @inline(__always) private func at(_ column: Int32) {
        precondition(Int(column) == batch.filled + 1, "column \(column) given where \(batch.filled + 1) comes next")
    }

    func text(_ column: Int32, _ value: String?) { at(column); batch.text(value) }
    func int(_ column: Int32, _ value: Int?) { at(column); if let value { batch.integer(Int64(value)) } else { batch.null() } }
    func int(_ column: Int32, _ value: Int64) { at(column); batch.integer(value) }
    func bool(_ column: Int32, _ value: Bool) { at(column); batch.integer(value ? 1 : 0) }

    /// Ends a row; inserts the batch when it is full.
    func endRow() throws(StoreError) {
        guard remaining > 0 else {
            throw StoreError(.sqlite, "\(connection.path): more rows than announced for \(head.prefix(40))")
        }
        batch.endRow()
        remaining -= 1
        if batch.isFull { try insertBatch() }
    }

    private func insertBatch() throws(StoreError) {
        defer { batch.clear() }
        try insert(batch)
    }

    /// Inserts rows made elsewhere (e.g. on a helper thread), with this insert's columns.
    func insert(_ rows: RowBatch) throws(StoreError) {
        precondition(rows.columns == batch.columns && rows.filled == 0, "a batch of other columns, or with a row half made")
        guard rows.count > 0 else { return }
        if statement == nil {
            try connection.registerRowFeed()
            statement = try connection.prepare(head + " " + Connection.rowFeedSelect(columns: batch.columns))
        }
        connection.feed = rows
        defer { connection.feed = nil }
        try statement!.run()
    }

    /// Inserts what is left; every announced row must have been added.
    func finish() throws(StoreError) {
        if remaining != 0 {
            throw StoreError(.sqlite, "\(connection.path): \(remaining) rows fewer than announced for \(head.prefix(40))")
        }
        try insertBatch()
    }
}

extension Statement {
    func bind(_ index: Int32, _ value: Binding) {
        switch value {
        case let .int(x): sqlite3_bind_int64(handle, index, x)
        case let .text(x): bind(index, x)
        case let .double(x): sqlite3_bind_double(handle, index, x)
        case .null: sqlite3_bind_null(handle, index)
        }
    }
}
