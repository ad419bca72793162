import CSQLite

// Rows handed to SQLite through a virtual table instead of bound parameters.
//
// Writing a country snapshot inserts ~250,000 item rows of 20 columns and ~735,000
// dependency rows. With `INSERT … VALUES (?, …), (?, …)` every value went through
// `sqlite3_bind_*` (which releases the value bound before, then copies the new one in) and
// then `OP_Variable` (which copies it again into a register): for the country ~1.3 G
// instructions on the saving thread, a third as much as SQLite's own inserting. Here the
// rows are collected in a `RowBatch` (one array of cells, their texts in one block) and
// `INSERT … SELECT c0, c1, … FROM infra_rows` reads them: SQLite asks for each cell once
// (`xColumn`) and takes its text where it lies.
//
// `infra_rows` is an eponymous virtual table (no CREATE VIRTUAL TABLE, nothing stored in
// the database file), registered on every connection that writes batches. It reads the
// batch its connection was last handed (`Connection.feed`), so one batch at a time per
// connection, as connections are used anyway (one thread at a time).

/// Rows waiting to be inserted: `columns` cells each, NULL, integer or text.
final class RowBatch {
    static let maximumColumns = 24
    let columns: Int
    /// Rows the batch holds at most.
    let capacity: Int
    /// Complete rows.
    private(set) var count = 0
    /// Cells of the row being added so far.
    private(set) var filled = 0

    enum Kind: UInt8 { case null = 0, integer, text }
    // One entry per cell, row by row: its kind, its integer or its text's offset in
    // `texts`, and the text's length.
    let kinds: UnsafeMutablePointer<UInt8>
    let values: UnsafeMutablePointer<Int64>
    let lengths: UnsafeMutablePointer<Int32>
    private(set) var texts: UnsafeMutableRawPointer
    private var textCapacity: Int
    private var textUsed = 0

    /// `textBytes`: room for texts to begin with (it grows as needed).
    init(columns: Int, capacity: Int, textBytes: Int = 1 << 20) {
        precondition(columns > 0 && columns <= Self.maximumColumns)
        self.columns = columns
        self.capacity = max(1, capacity)
        let cells = self.capacity * columns
        kinds = .allocate(capacity: cells)
        values = .allocate(capacity: cells)
        lengths = .allocate(capacity: cells)
        textCapacity = max(64, textBytes)
        texts = .allocate(byteCount: textCapacity, alignment: 8)
    }

    deinit {
        kinds.deallocate()
        values.deallocate()
        lengths.deallocate()
        texts.deallocate()
    }

    var isFull: Bool { count == capacity }

    /// The next cell of the current row (cells come in column order).
    @inline(__always) private func next() -> Int {
        precondition(filled < columns, "more cells than columns in a row")
        defer { filled += 1 }
        return count * columns + filled
    }

    func null() { kinds[next()] = Kind.null.rawValue }

    func integer(_ value: Int64) {
        let cell = next()
        kinds[cell] = Kind.integer.rawValue
        values[cell] = value
    }

    func text(_ value: String?) {
        guard var value else { return null() }
        value.withUTF8 { utf8 in
            let cell = next()
            if textUsed + utf8.count > textCapacity { growTexts(toHold: textUsed + utf8.count) }
            if let source = utf8.baseAddress { (texts + textUsed).copyMemory(from: source, byteCount: utf8.count) }
            kinds[cell] = Kind.text.rawValue
            values[cell] = Int64(textUsed)
            lengths[cell] = Int32(utf8.count)
            textUsed += utf8.count
        }
    }

    // Offsets, not pointers, are kept, so the block can move.
    private func growTexts(toHold bytes: Int) {
        var size = textCapacity * 2
        while size < bytes { size *= 2 }
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        bigger.copyMemory(from: texts, byteCount: textUsed)
        texts.deallocate()
        texts = bigger
        textCapacity = size
    }

    /// The integer of a complete row's cell (`column` from 0), e.g. a placeholder.
    func integer(row: Int, column: Int) -> Int64 {
        precondition(row < count && column < columns && kinds[row * columns + column] == Kind.integer.rawValue)
        return values[row * columns + column]
    }

    /// Replaces the integer of a complete row's cell, e.g. a placeholder given before the value was known.
    func setInteger(row: Int, column: Int, _ value: Int64) {
        precondition(row < count && column < columns && kinds[row * columns + column] == Kind.integer.rawValue)
        values[row * columns + column] = value
    }

    /// Ends the current row; every column must have been given.
    func endRow() {
        precondition(filled == columns, "a row with \(filled) of \(columns) cells")
        filled = 0
        count += 1
    }

    func clear() {
        count = 0
        filled = 0
        textUsed = 0
    }
}

extension Connection {
    /// Makes `infra_rows` available on this connection (once).
    func registerRowFeed() throws(StoreError) {
        guard !rowFeedRegistered else { return }
        let rc = sqlite3_create_module_v2(handle, "infra_rows", &rowFeedModule, Unmanaged.passUnretained(self).toOpaque(), nil)
        guard rc == SQLITE_OK else { throw error(rc, "registering the row feed") }
        rowFeedRegistered = true
    }

    /// `SELECT c0, …, c(n-1) FROM infra_rows`: the columns of a batch of `n` columns.
    static func rowFeedSelect(columns: Int) -> String {
        "SELECT " + (0..<columns).map { "c\($0)" }.joined(separator: ", ") + " FROM infra_rows"
    }
}

// MARK: - The virtual table

/// The table: SQLite's part first, then the connection whose `feed` it reads.
private struct FeedTable {
    var base = sqlite3_vtab()
    var connection: UnsafeMutableRawPointer
}

/// A cursor over the batch handed over when the scan starts (`xFilter`): SQLite's part first.
private struct FeedCursor {
    var base = sqlite3_vtab_cursor()
    var row = 0
    var count = 0
    var columns = 0
    var kinds: UnsafeMutablePointer<UInt8>?
    var values: UnsafeMutablePointer<Int64>?
    var lengths: UnsafeMutablePointer<Int32>?
    var texts: UnsafeMutableRawPointer?
}

private let feedSchema = "CREATE TABLE x(" + (0..<RowBatch.maximumColumns).map { "c\($0)" }.joined(separator: ", ") + ")"

nonisolated(unsafe) private var rowFeedModule: sqlite3_module = {
    var m = sqlite3_module()
    m.iVersion = 1
    m.xCreate = nil  // eponymous only: usable by name, never created in the file
    m.xConnect = { db, aux, _, _, tableOut, _ in
        let rc = sqlite3_declare_vtab(db, feedSchema)
        guard rc == SQLITE_OK, let aux, let tableOut else { return rc == SQLITE_OK ? SQLITE_ERROR : rc }
        let table = UnsafeMutablePointer<FeedTable>.allocate(capacity: 1)
        table.initialize(to: FeedTable(connection: aux))
        tableOut.pointee = UnsafeMutableRawPointer(table).assumingMemoryBound(to: sqlite3_vtab.self)
        return SQLITE_OK
    }
    m.xBestIndex = { _, info in
        info?.pointee.estimatedCost = 1
        return SQLITE_OK
    }
    m.xDisconnect = { table in
        UnsafeMutableRawPointer(table)?.assumingMemoryBound(to: FeedTable.self).deallocate()
        return SQLITE_OK
    }
    m.xOpen = { _, cursorOut in
        let cursor = UnsafeMutablePointer<FeedCursor>.allocate(capacity: 1)
        cursor.initialize(to: FeedCursor())
        cursorOut?.pointee = UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
        return SQLITE_OK
    }
    m.xClose = { cursor in
        UnsafeMutableRawPointer(cursor)?.assumingMemoryBound(to: FeedCursor.self).deallocate()
        return SQLITE_OK
    }
    m.xFilter = { raw, _, _, _, _ in
        guard let raw else { return SQLITE_ERROR }
        let cursor = UnsafeMutableRawPointer(raw).assumingMemoryBound(to: FeedCursor.self)
        let table = UnsafeMutableRawPointer(raw.pointee.pVtab!).assumingMemoryBound(to: FeedTable.self)
        let connection = Unmanaged<Connection>.fromOpaque(table.pointee.connection).takeUnretainedValue()
        cursor.pointee.row = 0
        guard let batch = connection.feed else {
            cursor.pointee.count = 0
            return SQLITE_OK
        }
        cursor.pointee.count = batch.count
        cursor.pointee.columns = batch.columns
        cursor.pointee.kinds = batch.kinds
        cursor.pointee.values = batch.values
        cursor.pointee.lengths = batch.lengths
        cursor.pointee.texts = batch.texts
        return SQLITE_OK
    }
    m.xNext = { raw in
        UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: FeedCursor.self).pointee.row += 1
        return SQLITE_OK
    }
    m.xEof = { raw in
        let c = UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: FeedCursor.self)
        return c.pointee.row >= c.pointee.count ? 1 : 0
    }
    m.xColumn = { raw, context, column in
        let c = UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: FeedCursor.self).pointee
        guard Int(column) < c.columns else {
            sqlite3_result_null(context)
            return SQLITE_OK
        }
        let cell = c.row * c.columns + Int(column)
        switch c.kinds![cell] {
        case RowBatch.Kind.integer.rawValue:
            sqlite3_result_int64(context, c.values![cell])
        case RowBatch.Kind.text.rawValue:
            // Static: the batch stays as it is until the statement is done with it.
            sqlite3_result_text(context, (c.texts! + Int(c.values![cell])).assumingMemoryBound(to: CChar.self),
                                c.lengths![cell], nil)
        default:
            sqlite3_result_null(context)
        }
        return SQLITE_OK
    }
    m.xRowid = { raw, rowid in
        rowid?.pointee = Int64(UnsafeMutableRawPointer(raw!).assumingMemoryBound(to: FeedCursor.self).pointee.row)
        return SQLITE_OK
    }
    return m
}()
