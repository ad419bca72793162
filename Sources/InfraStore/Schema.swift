// The history database's schema, as a list of migrations. docs/history.md documents it
// for analysts; keep the two in step.
//
// `PRAGMA application_id` marks the file as ours; `PRAGMA user_version` is the number of
// migrations applied. A database is brought up to date when it is opened: each missing
// migration runs, in order, in the same transaction that records the new version, with
// `PRAGMA foreign_keys` off (so a migration may rebuild a table that others reference, as
// SQLite's ALTER TABLE guide describes); `PRAGMA foreign_key_check` runs before COMMIT. A
// database with a higher version than `Schema.version` was written by a newer infra and
// is refused, never touched.

enum Schema {
    /// "INFR" in ASCII: the `application_id` of every infra history database.
    static let applicationID: Int32 = 0x494E_4652

    /// Migration `n` (1-based) takes the schema from version n-1 to version n.
    /// Never edit a published migration: add a new one.
    static let migrations: [String] = [version1, version2, version3, version4]

    /// Checks run right after migration `n` on a database that had rows: `query` counts the
    /// rows the new version cannot read, described by `problem`; any makes the migration fail
    /// and roll back whole.
    static let checks: [Int: (query: String, problem: String)] = [
        // Version 3 finds an organisation's items by their id range; the rows earlier
        // versions wrote for one organisation in one snapshot are consecutive.
        3: ("""
            SELECT count(*) FROM (SELECT max(id) - min(id) + 1 AS span, count(*) AS n FROM item_versions
                                  GROUP BY organisation_version_id) WHERE span <> n
            """, "organisations' items are not stored together"),
    ]

    /// The schema version this build writes.
    static var version: Int { migrations.count }

    static let version1 = """
        CREATE TABLE snapshots (
            id            INTEGER PRIMARY KEY,
            taken_at      TEXT    NOT NULL,              -- UTC, ISO 8601: 2025-03-01T09:30:00Z
            paths         TEXT    NOT NULL,              -- JSON array of the paths given to scan
            git_commit    TEXT,                          -- HEAD of the work tree holding the paths, if any
            tool_version  TEXT    NOT NULL,
            national      INTEGER NOT NULL,              -- 1 when the built-in national inventories were included
            settings      TEXT    NOT NULL,              -- JSON object: the scan options that shape findings (country, spof …)
            files         INTEGER NOT NULL,
            organisations INTEGER NOT NULL,              -- the scanned (not national) organisations
            items         INTEGER NOT NULL,              -- their items
            dependencies  INTEGER NOT NULL,              -- their resolved depends_on edges
            errors        INTEGER NOT NULL,
            warnings      INTEGER NOT NULL,
            infos         INTEGER NOT NULL
        );

        CREATE TABLE organisations (
            id           INTEGER PRIMARY KEY,
            snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            organisation TEXT    NOT NULL,               -- the organisation id, e.g. sundsvall
            name         TEXT    NOT NULL,
            type         TEXT,                           -- kommun, region, myndighet, bolag, forbund, annan
            code         TEXT,                           -- kommunkod or länskod
            county       TEXT,
            org_number   TEXT,
            parent       TEXT,
            members      TEXT    NOT NULL,               -- JSON array of organisation ids
            national     INTEGER NOT NULL,               -- 1 for the built-in national organisations
            files        TEXT    NOT NULL,               -- JSON array of the files it was read from
            UNIQUE (snapshot_id, organisation)
        );

        CREATE TABLE items (
            id              INTEGER PRIMARY KEY,
            snapshot_id     INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            organisation    TEXT    NOT NULL,            -- the organisation id, e.g. sundsvall
            item            TEXT    NOT NULL,            -- the item id within the organisation
            layer           TEXT    NOT NULL,            -- services, soft, hard
            name            TEXT    NOT NULL,
            capability      TEXT,
            status          TEXT    NOT NULL,            -- planned, active, retiring, retired
            end_of_support  TEXT,                        -- YYYY-MM-DD
            product         TEXT,
            vendor          TEXT,
            standards       TEXT    NOT NULL,            -- JSON array of standard ids
            critical        INTEGER NOT NULL,
            coverage        TEXT    NOT NULL,            -- JSON object: area → share (hard-layer networks)
            reviewed        TEXT,                        -- YYYY-MM-DD
            sensitivity     TEXT    NOT NULL,            -- public, internal, restricted (restricted items are masked)
            tags            TEXT    NOT NULL,            -- JSON array
            notes           TEXT,
            file            TEXT    NOT NULL,
            line            INTEGER NOT NULL,
            UNIQUE (snapshot_id, organisation, item),
            FOREIGN KEY (snapshot_id, organisation) REFERENCES organisations (snapshot_id, organisation) ON DELETE CASCADE
        );

        -- One row per resolved depends_on edge: from_item depends on to_item (items of one snapshot).
        -- dependency_refs shows them as org/item with the snapshot id.
        CREATE TABLE dependencies (
            from_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            to_item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            PRIMARY KEY (from_item_id, to_item_id)
        ) WITHOUT ROWID;
        CREATE INDEX dependencies_by_to ON dependencies (to_item_id);

        CREATE TABLE findings (
            id           INTEGER PRIMARY KEY,
            snapshot_id  INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            fingerprint  TEXT    NOT NULL,               -- stable across edits and reordering (docs/history.md)
            rule         TEXT    NOT NULL,
            severity     TEXT    NOT NULL,               -- error, warning, info
            message      TEXT    NOT NULL,
            organisation TEXT,
            item         TEXT,
            related      TEXT    NOT NULL,               -- JSON array of org/item
            file         TEXT,
            line         INTEGER,
            "column"     INTEGER,
            help         TEXT
        );
        CREATE INDEX findings_by_snapshot ON findings (snapshot_id, fingerprint);
        CREATE INDEX findings_by_rule ON findings (rule, snapshot_id);

        -- Coverage of every capability and standard per organisation type, as `infra coverage`.
        CREATE TABLE coverage (
            id                 INTEGER PRIMARY KEY,      -- rows in the order of `infra coverage`
            snapshot_id        INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            kind               TEXT    NOT NULL,         -- capability or standard
            term               TEXT    NOT NULL,         -- the capability or standard id
            name               TEXT    NOT NULL,
            layer              TEXT,
            organisation_type  TEXT    NOT NULL,
            covered            INTEGER NOT NULL,         -- organisations of the type that have it
            inventoried        INTEGER NOT NULL,         -- organisations of the type in the scan
            total              INTEGER,                  -- all of the type in Sweden (kommun 290, region 21), else NULL
            population_covered INTEGER,                  -- kommun and region only
            population_total   INTEGER,
            UNIQUE (snapshot_id, kind, term, organisation_type)
        );
        CREATE INDEX coverage_by_term ON coverage (term, organisation_type, snapshot_id);

        CREATE VIEW latest_snapshot AS
            SELECT * FROM snapshots ORDER BY id DESC LIMIT 1;

        CREATE VIEW latest_items AS
            SELECT * FROM items WHERE snapshot_id = (SELECT max(id) FROM snapshots);

        CREATE VIEW latest_findings AS
            SELECT * FROM findings WHERE snapshot_id = (SELECT max(id) FROM snapshots);

        CREATE VIEW dependency_refs AS
            SELECT f.snapshot_id,
                   f.organisation || '/' || f.item AS from_ref,
                   t.organisation || '/' || t.item AS to_ref,
                   f.organisation <> t.organisation AS cross_organisation
            FROM dependencies d
            JOIN items f ON f.id = d.from_item_id
            JOIN items t ON t.id = d.to_item_id;

        CREATE VIEW coverage_trend AS
            SELECT c.term, c.kind, c.organisation_type, s.id AS snapshot_id, s.taken_at,
                   c.covered, c.inventoried, c.total,
                   round(100.0 * c.covered / coalesce(c.total, nullif(c.inventoried, 0)), 1) AS percent_covered,
                   round(100.0 * c.population_covered / nullif(c.population_total, 0), 1) AS percent_population
            FROM coverage c JOIN snapshots s ON s.id = c.snapshot_id
            ORDER BY c.term, c.organisation_type, s.id;
        """

    /// The tables each version has; a database of that version that lacks one is refused.
    static func tables(version: Int) -> [String] {
        var names = ["snapshots", "coverage"]
        names += version >= 3
            ? ["organisation_versions", "snapshot_organisations", "item_versions", "item_dependencies", "finding_records",
               "snapshot_findings"]
            : ["organisations", "items", "dependencies", "findings"]
        if version >= 2 { names.append("files") }
        return names
    }

    /// Version 2, for speed at country scale (~250,000 items in ~650 files per snapshot):
    /// - where an item is written is a row of `files` (one per path, shared by all
    ///   snapshots), not the path repeated on every item, where it was a third of the row:
    ///   `items.file` becomes `items.file_id`; `latest_items` still shows the path as `file`;
    /// - `items.digest`, a 64-bit hash of the fields `infra diff` compares (`ItemFields`),
    ///   so that a diff reads four columns per item and the fields of changed items only.
    ///   Existing rows get theirs from `infra_item_digest()`, which the store registers on
    ///   its connections (the same function the store computes for new rows).
    /// The items table is rebuilt (the same ids), so the views that read it are dropped and
    /// made again.
    static let version2 = """
        CREATE TABLE files (
            id   INTEGER PRIMARY KEY,
            path TEXT    NOT NULL UNIQUE                 -- as scanned (absolute), or (built-in)/… for the national inventories
        );
        INSERT INTO files (path) SELECT file FROM items GROUP BY file ORDER BY min(id);

        DROP VIEW latest_items;
        DROP VIEW dependency_refs;

        CREATE TABLE items_v2 (
            id              INTEGER PRIMARY KEY,
            snapshot_id     INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            organisation    TEXT    NOT NULL,            -- the organisation id, e.g. sundsvall
            item            TEXT    NOT NULL,            -- the item id within the organisation
            layer           TEXT    NOT NULL,            -- services, soft, hard
            name            TEXT    NOT NULL,
            capability      TEXT,
            status          TEXT    NOT NULL,            -- planned, active, retiring, retired
            end_of_support  TEXT,                        -- YYYY-MM-DD
            product         TEXT,
            vendor          TEXT,
            standards       TEXT    NOT NULL,            -- JSON array of standard ids
            critical        INTEGER NOT NULL,
            coverage        TEXT    NOT NULL,            -- JSON object: area → share (hard-layer networks)
            reviewed        TEXT,                        -- YYYY-MM-DD
            sensitivity     TEXT    NOT NULL,            -- public, internal, restricted (restricted items are masked)
            tags            TEXT    NOT NULL,            -- JSON array
            notes           TEXT,
            file_id         INTEGER NOT NULL REFERENCES files(id),  -- where the item is written: files.path
            line            INTEGER NOT NULL,
            digest          INTEGER NOT NULL,            -- hash of the compared fields (layer … notes): equal → unchanged
            UNIQUE (snapshot_id, organisation, item),
            FOREIGN KEY (snapshot_id, organisation) REFERENCES organisations (snapshot_id, organisation) ON DELETE CASCADE
        );
        INSERT INTO items_v2
            SELECT i.id, i.snapshot_id, i.organisation, i.item, i.layer, i.name, i.capability, i.status, i.end_of_support,
                   i.product, i.vendor, i.standards, i.critical, i.coverage, i.reviewed, i.sensitivity, i.tags, i.notes,
                   f.id, i.line,
                   infra_item_digest(i.layer, i.name, i.capability, i.status, i.end_of_support, i.product, i.vendor,
                                     i.standards, i.critical, i.coverage, i.reviewed, i.sensitivity, i.tags, i.notes)
            FROM items i JOIN files f ON f.path = i.file ORDER BY i.id;
        DROP TABLE items;
        ALTER TABLE items_v2 RENAME TO items;

        CREATE VIEW latest_items AS
            SELECT i.*, f.path AS file FROM items i JOIN files f ON f.id = i.file_id
            WHERE i.snapshot_id = (SELECT max(id) FROM snapshots);

        CREATE VIEW dependency_refs AS
            SELECT f.snapshot_id,
                   f.organisation || '/' || f.item AS from_ref,
                   t.organisation || '/' || t.item AS to_ref,
                   f.organisation <> t.organisation AS cross_organisation
            FROM dependencies d
            JOIN items f ON f.id = d.from_item_id
            JOIN items t ON t.id = d.to_item_id;
        """

    /// Version 3: an organisation that did not change is stored once, not once per snapshot.
    /// A national inventory changes a few organisations a week; storing all ~250,000 items
    /// again for every snapshot made each one ~70 MB and each save as slow as the first.
    /// - `organisation_versions`: an organisation's header, items and dependencies as they
    ///   were in one or more snapshots, with `digest`, a 64-bit hash of all of it;
    ///   `snapshot_organisations` lists the versions each snapshot holds, in order. A save
    ///   reuses the latest version with the same organisation, digest and item count.
    /// - `item_versions` (the items of one organisation version: consecutive ids, from
    ///   `organisation_versions.first_item_id`, so no index is needed to find them) and
    ///   `item_dependencies` (from item row → to item row). The row depended on may belong
    ///   to an older version of its organisation than the snapshot holds: the dependency is
    ///   on that organisation and item id, which the snapshot has (a version's digest covers
    ///   the organisation and item ids its dependencies resolve to, so a dependency that no
    ///   longer resolves makes a new version). The `dependencies` view gives the names.
    /// - `organisations`, `items`, `dependencies` become views with the columns analysts
    ///   queried before (snapshot_id, organisation, item …), so their queries keep working,
    ///   except joins on the old row ids (`items.id`, `dependencies.from_item_id`), which
    ///   named rows of one snapshot and now would name versions.
    /// - Findings likewise: `finding_records` (each distinct finding once, with a digest)
    ///   and `snapshot_findings` (each snapshot's, in report order); `findings` is a view.
    /// Existing snapshots become one version per organisation and snapshot, and one record per
    /// finding (same ids, digest NULL, so never reused); sharing starts with the next save.
    static let version3 = """
        DROP VIEW latest_items;
        DROP VIEW dependency_refs;

        CREATE TABLE organisation_versions (
            id            INTEGER PRIMARY KEY,
            organisation  TEXT    NOT NULL,              -- the organisation id, e.g. sundsvall
            name          TEXT    NOT NULL,
            type          TEXT,                          -- kommun, region, myndighet, bolag, forbund, annan
            code          TEXT,                          -- kommunkod or länskod
            county        TEXT,
            org_number    TEXT,
            parent        TEXT,
            members       TEXT    NOT NULL,              -- JSON array of organisation ids
            national      INTEGER NOT NULL,              -- 1 for the built-in national organisations
            files         TEXT    NOT NULL,              -- JSON array of the files it was read from
            items         INTEGER NOT NULL,              -- how many items: item_versions rows first_item_id … first_item_id + items - 1
            first_item_id INTEGER,                       -- NULL when it has no items
            digest        INTEGER                        -- hash of all the above, its items and dependencies; NULL: never reused
        );
        CREATE INDEX organisation_versions_by_digest ON organisation_versions (organisation, digest);
        INSERT INTO organisation_versions
            SELECT o.id, o.organisation, o.name, o.type, o.code, o.county, o.org_number, o.parent, o.members, o.national, o.files,
                   count(i.id), min(i.id), NULL
            FROM organisations o LEFT JOIN items i ON i.snapshot_id = o.snapshot_id AND i.organisation = o.organisation
            GROUP BY o.id ORDER BY o.id;

        CREATE TABLE snapshot_organisations (
            snapshot_id             INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            position                INTEGER NOT NULL,    -- the organisation's place in the snapshot, from 0
            organisation_version_id INTEGER NOT NULL REFERENCES organisation_versions(id),
            PRIMARY KEY (snapshot_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX snapshot_organisations_by_version ON snapshot_organisations (organisation_version_id);
        INSERT INTO snapshot_organisations
            SELECT snapshot_id, row_number() OVER (PARTITION BY snapshot_id ORDER BY id) - 1, id FROM organisations;

        CREATE TABLE item_versions (
            id                      INTEGER PRIMARY KEY,
            organisation_version_id INTEGER NOT NULL REFERENCES organisation_versions(id) ON DELETE CASCADE,
            item            TEXT    NOT NULL,            -- the item id within the organisation
            layer           TEXT    NOT NULL,            -- services, soft, hard
            name            TEXT    NOT NULL,
            capability      TEXT,
            status          TEXT    NOT NULL,            -- planned, active, retiring, retired
            end_of_support  TEXT,                        -- YYYY-MM-DD
            product         TEXT,
            vendor          TEXT,
            standards       TEXT    NOT NULL,            -- JSON array of standard ids
            critical        INTEGER NOT NULL,
            coverage        TEXT    NOT NULL,            -- JSON object: area → share (hard-layer networks)
            reviewed        TEXT,                        -- YYYY-MM-DD
            sensitivity     TEXT    NOT NULL,            -- public, internal, restricted (restricted items are masked)
            tags            TEXT    NOT NULL,            -- JSON array
            notes           TEXT,
            file_id         INTEGER NOT NULL REFERENCES files(id),  -- where the item is written: files.path
            line            INTEGER NOT NULL,
            digest          INTEGER NOT NULL             -- hash of the compared fields (layer … notes): equal → unchanged
        );
        INSERT INTO item_versions
            SELECT i.id, o.id, i.item, i.layer, i.name, i.capability, i.status, i.end_of_support, i.product, i.vendor,
                   i.standards, i.critical, i.coverage, i.reviewed, i.sensitivity, i.tags, i.notes, i.file_id, i.line, i.digest
            FROM items i JOIN organisations o ON o.snapshot_id = i.snapshot_id AND o.organisation = i.organisation
            ORDER BY i.id;

        -- No index on to_item_id: rows are found from the item that depends, or by name
        -- through the `dependencies` view. (Nor on item_versions.organisation_version_id: a
        -- version's items are found by their id range.)
        CREATE TABLE item_dependencies (
            from_item_id INTEGER NOT NULL REFERENCES item_versions(id) ON DELETE CASCADE,
            to_item_id   INTEGER NOT NULL REFERENCES item_versions(id),
            PRIMARY KEY (from_item_id, to_item_id)
        ) WITHOUT ROWID;
        INSERT INTO item_dependencies SELECT from_item_id, to_item_id FROM dependencies ORDER BY from_item_id, to_item_id;

        DROP TABLE dependencies;
        DROP TABLE items;
        DROP TABLE organisations;

        CREATE VIEW organisations AS
            SELECT so.snapshot_id, so.position, v.organisation, v.name, v.type, v.code, v.county, v.org_number, v.parent,
                   v.members, v.national, v.files, v.id AS organisation_version_id
            FROM snapshot_organisations so JOIN organisation_versions v ON v.id = so.organisation_version_id;

        CREATE VIEW items AS
            SELECT so.snapshot_id, v.organisation, i.item, i.layer, i.name, i.capability, i.status, i.end_of_support,
                   i.product, i.vendor, i.standards, i.critical, i.coverage, i.reviewed, i.sensitivity, i.tags, i.notes,
                   f.path AS file, i.file_id, i.line, i.digest, i.id AS item_version_id, v.id AS organisation_version_id
            FROM snapshot_organisations so
            JOIN organisation_versions v ON v.id = so.organisation_version_id
            JOIN item_versions i ON i.id BETWEEN v.first_item_id AND v.first_item_id + v.items - 1
            JOIN files f ON f.id = i.file_id;

        CREATE VIEW dependencies AS
            SELECT so.snapshot_id, v.organisation AS from_organisation, i.item AS from_item,
                   tv.organisation AS to_organisation, t.item AS to_item
            FROM snapshot_organisations so
            JOIN organisation_versions v ON v.id = so.organisation_version_id
            JOIN item_versions i ON i.id BETWEEN v.first_item_id AND v.first_item_id + v.items - 1
            JOIN item_dependencies d ON d.from_item_id = i.id
            JOIN item_versions t ON t.id = d.to_item_id
            JOIN organisation_versions tv ON tv.id = t.organisation_version_id;

        CREATE VIEW latest_items AS
            SELECT * FROM items WHERE snapshot_id = (SELECT max(id) FROM snapshots);

        CREATE VIEW dependency_refs AS
            SELECT snapshot_id, from_organisation || '/' || from_item AS from_ref, to_organisation || '/' || to_item AS to_ref,
                   from_organisation <> to_organisation AS cross_organisation
            FROM dependencies;

        -- Findings too are stored once and listed per snapshot: most of a week's ~10,000
        -- findings are the same as last week's.
        DROP VIEW latest_findings;
        CREATE TABLE finding_records (
            id           INTEGER PRIMARY KEY,
            fingerprint  TEXT    NOT NULL,               -- stable across edits and reordering (docs/history.md)
            rule         TEXT    NOT NULL,
            severity     TEXT    NOT NULL,               -- error, warning, info
            message      TEXT    NOT NULL,
            organisation TEXT,
            item         TEXT,
            related      TEXT    NOT NULL,               -- JSON array of org/item
            file         TEXT,
            line         INTEGER,
            "column"     INTEGER,
            help         TEXT,
            digest       INTEGER                         -- hash of all the above; NULL: never reused
        );
        CREATE INDEX finding_records_by_digest ON finding_records (digest);
        CREATE INDEX finding_records_by_rule ON finding_records (rule);
        INSERT INTO finding_records
            SELECT id, fingerprint, rule, severity, message, organisation, item, related, file, line, "column", help, NULL
            FROM findings ORDER BY id;

        CREATE TABLE snapshot_findings (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
            position    INTEGER NOT NULL,                -- the finding's place in the scan's report, from 0
            finding_id  INTEGER NOT NULL REFERENCES finding_records(id),
            PRIMARY KEY (snapshot_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX snapshot_findings_by_finding ON snapshot_findings (finding_id);
        INSERT INTO snapshot_findings
            SELECT snapshot_id, row_number() OVER (PARTITION BY snapshot_id ORDER BY id) - 1, id FROM findings;
        DROP TABLE findings;

        CREATE VIEW findings AS
            SELECT sf.snapshot_id, sf.position, f.fingerprint, f.rule, f.severity, f.message, f.organisation, f.item,
                   f.related, f.file, f.line, f."column", f.help, f.id AS finding_id
            FROM snapshot_findings sf JOIN finding_records f ON f.id = sf.finding_id;

        CREATE VIEW latest_findings AS
            SELECT * FROM findings WHERE snapshot_id = (SELECT max(id) FROM snapshots);
        """

    /// Version 4: `coverage_trend`'s percentages unrounded. Rounded to one decimal, 289 of
    /// 290 kommuner's population (99.98%) read as 100.0, and one small kommun's as 0.0.
    static let version4 = """
        DROP VIEW coverage_trend;
        CREATE VIEW coverage_trend AS
            SELECT c.term, c.kind, c.organisation_type, s.id AS snapshot_id, s.taken_at,
                   c.covered, c.inventoried, c.total,
                   100.0 * c.covered / coalesce(c.total, nullif(c.inventoried, 0)) AS percent_covered,
                   100.0 * c.population_covered / nullif(c.population_total, 0) AS percent_population
            FROM coverage c JOIN snapshots s ON s.id = c.snapshot_id
            ORDER BY c.term, c.organisation_type, s.id;
        """
}
