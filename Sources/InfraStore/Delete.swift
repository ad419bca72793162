import InfraModel

// Deleting snapshots. Organisation versions, their items and finding records are shared
// between snapshots (schema version 3), so deleting a snapshot's row alone would leave
// behind everything only it held. `delete(snapshots:)` removes that too, in one
// transaction.

extension HistoryStore {
    /// What `delete(snapshots:)` removed.
    public struct Deleted: Sendable, Equatable {
        public var snapshots = 0
        /// Organisation versions no remaining snapshot holds or depends on, with their items.
        public var organisationVersions = 0
        public var items = 0
        public var findingRecords = 0
    }

    /// Deletes snapshots `ids` and whatever no remaining snapshot needs: organisation
    /// versions none lists (with their items and dependencies) unless a listed version's
    /// dependency still points at their items, and finding records none lists. An unknown
    /// id is an error and nothing is deleted.
    ///
    /// A version kept only because dependencies point at its items loses its own
    /// dependencies and its digest, so that no later save reuses it as a whole.
    public func delete(snapshots ids: [Int64]) throws(StoreError) -> Deleted {
        for id in ids { _ = try snapshotInfo(id) }
        // The rows removed here are found from the remaining ones; SQLite's row-by-row key
        // checks would scan item_dependencies (no index on to_item_id) for every item.
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { try? db.execute("PRAGMA foreign_keys = ON") }
        return try transaction { () throws(StoreError) in
            var deleted = Deleted()
            let list = ids.map(String.init).joined(separator: ", ")
            try db.execute("""
                DELETE FROM snapshot_organisations WHERE snapshot_id IN (\(list));
                DELETE FROM snapshot_findings WHERE snapshot_id IN (\(list));
                DELETE FROM coverage WHERE snapshot_id IN (\(list));
                DELETE FROM snapshots WHERE id IN (\(list));
                """)
            deleted.snapshots = db.changes

            // Versions a remaining snapshot lists, and versions their dependencies point into.
            try db.execute("""
                CREATE TEMP TABLE infra_listed (id INTEGER PRIMARY KEY);
                INSERT INTO infra_listed SELECT DISTINCT organisation_version_id FROM snapshot_organisations;
                CREATE TEMP TABLE infra_needed (id INTEGER PRIMARY KEY);
                INSERT INTO infra_needed SELECT id FROM infra_listed;
                INSERT OR IGNORE INTO infra_needed
                    SELECT DISTINCT t.organisation_version_id
                    FROM infra_listed l JOIN organisation_versions v ON v.id = l.id
                    JOIN item_dependencies d ON d.from_item_id BETWEEN v.first_item_id AND v.first_item_id + v.items - 1
                    JOIN item_versions t ON t.id = d.to_item_id;
                CREATE TEMP TABLE infra_unlisted AS
                    SELECT id, first_item_id, items, id IN (SELECT id FROM infra_needed) AS needed FROM organisation_versions
                    WHERE id NOT IN (SELECT id FROM infra_listed);
                """)
            defer { try? db.execute("DROP TABLE IF EXISTS temp.infra_listed; DROP TABLE IF EXISTS temp.infra_needed; DROP TABLE IF EXISTS temp.infra_unlisted") }
            // Dependencies are read only from listed versions: every unlisted one loses its own.
            try db.execute("""
                DELETE FROM item_dependencies WHERE from_item_id IN (
                    SELECT i.id FROM infra_unlisted u JOIN item_versions i ON i.id BETWEEN u.first_item_id AND u.first_item_id + u.items - 1);
                UPDATE organisation_versions SET digest = NULL WHERE id IN (SELECT id FROM infra_unlisted WHERE needed);
                """)
            try db.execute("""
                DELETE FROM item_versions WHERE id IN (
                    SELECT i.id FROM infra_unlisted u JOIN item_versions i ON i.id BETWEEN u.first_item_id AND u.first_item_id + u.items - 1
                    WHERE NOT u.needed)
                """)
            deleted.items = db.changes
            try db.execute("DELETE FROM organisation_versions WHERE id IN (SELECT id FROM infra_unlisted WHERE NOT needed)")
            deleted.organisationVersions = db.changes
            try db.execute("DELETE FROM finding_records WHERE id NOT IN (SELECT finding_id FROM snapshot_findings)")
            deleted.findingRecords = db.changes

            let check = try db.prepare("PRAGMA foreign_key_check")
            if try check.step() {
                throw StoreError(.corrupt, "\(path): deleting the snapshots would break a reference in \(check.text(0)); nothing deleted")
            }
            return deleted
        }
    }
}
